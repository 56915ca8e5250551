// The repository's one URL (gitops/repository/repository.yaml, which scripts/fork.sh rewrites) and the
// links derived from it: runbook_url annotations must be absolute, so they work from a notification.
import fs from 'node:fs';
import YAML from 'yaml';
import { repositoryFile } from './paths.mjs';

export function repository(file = repositoryFile) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJSON());
  const cm = docs.find((d) => d?.kind === 'ConfigMap' && d.metadata?.name === 'gitops-repository');
  if (!cm?.data?.url || !cm.data.revision) throw new Error(`${file}: ConfigMap gitops-repository needs data.url and data.revision`);
  return { url: cm.data.url, revision: cm.data.revision };
}

/** https://host/owner/name.git + main -> https://host/owner/name/blob/main/docs/runbooks/ (GitHub's layout). */
export function runbookBase({ url, revision } = repository()) {
  return `${url.replace(/\.git$/, '').replace(/\/$/, '')}/blob/${revision}/docs/runbooks/`;
}
