// Alert rules: every alert is unit-tested both ways, carries severity and annotations, and has a
// runbook; every rule file is deployed. promtool itself runs from monitoring/tests/run.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { rulesDir, ruleTestsDir, repoDir, monitoringDir } from '../lib/paths.mjs';
import { loadRuleFiles, rulesOf, loadRuleTests, alertCoverage, coverageProblems, alertMetadataProblems } from '../lib/rules.mjs';

const ruleFiles = loadRuleFiles(rulesDir);
const rules = rulesOf(ruleFiles);
const alerts = rules.filter((r) => r.alert);
const ruleTests = loadRuleTests(ruleTestsDir);

test('the alerts the issue asks for exist', () => {
  assert.deepEqual(alerts.map((a) => a.alert).sort(), [
    'UsersApiAuthFailures', 'UsersApiDatabaseDown', 'UsersApiDatabasePoolSaturated', 'UsersApiDatabaseReplicationLag',
    'UsersApiDown', 'UsersApiErrorBudgetBurnFast', 'UsersApiErrorBudgetBurnSlow',
    'UsersApiHigh5xxRate', 'UsersApiHighLatencyP99', 'UsersApiLatencyBudgetBurnFast', 'UsersApiLatencyBudgetBurnSlow',
  ]);
});

test('every alert has a promtool case where it fires and one where it must stay silent', () => {
  assert.deepEqual(coverageProblems(alertCoverage(alerts, ruleTests)), []);
});

test('the coverage check reports an alert without a silent case and one without any test', () => {
  const onlyFiring = ruleTests.map((t) => ({
    ...t,
    doc: { ...t.doc, tests: t.doc.tests.map((tc) => ({ ...tc, alert_rule_test: (tc.alert_rule_test ?? []).filter((a) => a.alertname !== 'UsersApiDown' || a.exp_alerts.length) })) },
  }));
  assert.deepEqual(coverageProblems(alertCoverage(alerts, onlyFiring)), ['UsersApiDown: no promtool test case where it must stay silent']);
  const extra = [...alerts, { ...alerts[0], alert: 'UsersApiUntested' }];
  assert.deepEqual(coverageProblems(alertCoverage(extra, ruleTests)), [
    'UsersApiUntested: no promtool test case where it fires', 'UsersApiUntested: no promtool test case where it must stay silent',
  ]);
});

test('every alert has a severity, a summary, a description and a runbook with its sections', () => {
  assert.deepEqual(alertMetadataProblems(alerts, repoDir), []);
});

test('the metadata check reports a missing runbook, a runbook without sections and a missing severity', () => {
  const broken = [
    { ...alerts[0], annotations: { ...alerts[0].annotations, runbook_url: 'docs/runbooks/no-such-runbook.md' } },
    { ...alerts[0], labels: {} },
  ];
  const problems = alertMetadataProblems(broken, repoDir).join('\n');
  assert.match(problems, /no-such-runbook\.md does not exist/);
  assert.match(problems, /labels\.severity must be critical or warning/);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-check-'));
  try {
    fs.mkdirSync(path.join(tmp, 'docs', 'runbooks'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'docs', 'runbooks', 'x.md'), `# ${alerts[0].alert}\n\n## Meaning\n\ntext\n`);
    const thin = alertMetadataProblems([{ ...alerts[0], annotations: { ...alerts[0].annotations, runbook_url: 'docs/runbooks/x.md' } }], tmp);
    assert.deepEqual(thin.map((p) => p.replace(/.*has no /, '')), ['"## Impact" section', '"## Diagnosis" section', '"## Mitigation" section']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('every rule file is deployed by the prometheus kustomization, and every promtool test file loads existing rules', () => {
  const k = YAML.parse(fs.readFileSync(path.join(monitoringDir, 'prometheus', 'kustomization.yaml'), 'utf8'));
  const deployed = k.configMapGenerator.find((g) => g.name === 'prometheus-rules').files.map((f) => path.basename(f)).sort();
  assert.deepEqual(deployed, ruleFiles.map((r) => r.name));
  for (const t of ruleTests) {
    for (const f of t.doc.rule_files) assert.ok(fs.existsSync(path.resolve(path.dirname(t.file), f)), `${t.name}: ${f} does not exist`);
  }
});

test('recording rules follow the level:metric:operations naming convention', () => {
  for (const r of rules.filter((x) => x.record)) assert.match(r.record, /^[a-z_]+:[a-z_]+:[a-z0-9_]+$/, r.record);
});
