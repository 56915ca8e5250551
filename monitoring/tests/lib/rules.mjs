// Prometheus rule files and their promtool unit tests, as data.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export function loadRuleFiles(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
    const file = path.join(dir, f);
    return { file, name: f, doc: YAML.parse(fs.readFileSync(file, 'utf8')) };
  });
}

/** [{ file, group, alert?, record?, expr, labels, annotations }] */
export function rulesOf(ruleFiles) {
  return ruleFiles.flatMap((rf) => (rf.doc.groups ?? []).flatMap((g) => (g.rules ?? []).map((r) => ({
    file: rf.file, group: g.name, ...r,
  }))));
}

export function loadRuleTests(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.test.yaml')).sort().map((f) => {
    const file = path.join(dir, f);
    return { file, name: f, doc: YAML.parse(fs.readFileSync(file, 'utf8')) };
  });
}

/**
 * For each alert, the names of the promtool test cases in which it fires (a non-empty exp_alerts)
 * and in which it must stay silent (an empty exp_alerts), counting only test files that load the
 * alert's rule file.
 */
export function alertCoverage(alerts, ruleTests) {
  // An always-firing alert (the Watchdog, expr vector(1)) has no case where it could stay silent.
  const coverage = new Map(alerts.map((a) => [a.alert, { fires: [], silent: [], always: String(a.expr).trim() === 'vector(1)' }]));
  for (const t of ruleTests) {
    const loaded = (t.doc.rule_files ?? []).map((f) => path.resolve(path.dirname(t.file), f));
    for (const tc of t.doc.tests ?? []) {
      for (const art of tc.alert_rule_test ?? []) {
        const alert = alerts.find((a) => a.alert === art.alertname && loaded.includes(path.resolve(a.file)));
        if (!alert) continue;
        const c = coverage.get(alert.alert);
        ((art.exp_alerts ?? []).length ? c.fires : c.silent).push(`${t.name}: ${tc.name ?? '(unnamed)'} @ ${art.eval_time}`);
      }
    }
  }
  return coverage;
}

export function coverageProblems(coverage) {
  const problems = [];
  for (const [alert, c] of coverage) {
    if (!c.fires.length) problems.push(`${alert}: no promtool test case where it fires`);
    if (!c.silent.length && !c.always) problems.push(`${alert}: no promtool test case where it must stay silent`);
  }
  return problems;
}

// Diagnosis confirms the alert, Mitigation acts, Verification proves the fix (every runbook has all).
const RUNBOOK_SECTIONS = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Verification'];

// runbook_url = this prefix + a page of docs/runbooks/. The external label "runbooks" holds the absolute
// docs/runbooks/ URL of the repository (prometheus.yml, loki.yaml; from gitops/repository/repository.yaml).
export const RUNBOOK_PREFIX = '{{ $externalLabels.runbooks }}';

/**
 * Alerts need a severity (none only for the always-firing Watchdog), a summary, a description and a
 * runbook_url of RUNBOOK_PREFIX + page, whose page exists in docs/runbooks/ with the usual sections.
 */
export function alertMetadataProblems(alerts, repoDir) {
  const problems = [];
  for (const a of alerts) {
    const severities = a.alert === 'Watchdog' ? ['none'] : ['critical', 'warning'];
    if (!severities.includes(a.labels?.severity)) problems.push(`${a.alert}: labels.severity must be ${severities.join(' or ')}`);
    for (const key of ['summary', 'description', 'runbook_url']) {
      if (!a.annotations?.[key]) problems.push(`${a.alert}: annotations.${key} is missing`);
    }
    const url = a.annotations?.runbook_url;
    if (!url) continue;
    const page = url.startsWith(RUNBOOK_PREFIX) ? url.slice(RUNBOOK_PREFIX.length) : undefined;
    if (!page || !/^[a-z0-9-]+\.md$/.test(page)) {
      problems.push(`${a.alert}: runbook_url ${url} must be '${RUNBOOK_PREFIX}<page>.md' (an absolute link to docs/runbooks/<page>.md)`);
      continue;
    }
    const relative = `docs/runbooks/${page}`;
    const file = path.join(repoDir, relative);
    if (!fs.existsSync(file)) {
      problems.push(`${a.alert}: runbook ${relative} does not exist (runbooks live in docs/runbooks/)`);
      continue;
    }
    const md = fs.readFileSync(file, 'utf8');
    if (!md.includes(a.alert)) problems.push(`${a.alert}: runbook ${relative} does not name the alert`);
    for (const s of RUNBOOK_SECTIONS) {
      if (!new RegExp(`^##\\s+${s}\\b`, 'm').test(md)) problems.push(`${a.alert}: runbook ${relative} has no "## ${s}" section`);
    }
  }
  return problems;
}
