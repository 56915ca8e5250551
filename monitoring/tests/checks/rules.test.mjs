// Alert rules: every alert is unit-tested both ways, carries severity and annotations, and has a
// runbook; every rule file is deployed. promtool itself runs from monitoring/tests/run.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { rulesDir, ruleTestsDir, repoDir, monitoringDir, lokiRulesDir, testsDir } from '../lib/paths.mjs';
import { loadRuleFiles, rulesOf, loadRuleTests, alertCoverage, coverageProblems, alertMetadataProblems } from '../lib/rules.mjs';
import { logqlSyntaxErrors } from '../lib/logql.mjs';
import { analyzePromQL } from '../lib/promql.mjs';
import { execFileSync } from 'node:child_process';
import { repository, runbookBase } from '../lib/repository.mjs';
import { RUNBOOK_PREFIX } from '../lib/rules.mjs';

const ruleFiles = loadRuleFiles(rulesDir);
const rules = rulesOf(ruleFiles);
const alerts = rules.filter((r) => r.alert);
const ruleTests = loadRuleTests(ruleTestsDir);
const lokiRuleFiles = loadRuleFiles(lokiRulesDir);
const lokiAlerts = rulesOf(lokiRuleFiles).filter((r) => r.alert);
const sample = alerts.find((a) => a.alert === 'UsersApiDown');

test('the alerts the issues ask for exist', () => {
  const names = new Set([...alerts, ...lokiAlerts].map((a) => a.alert));
  for (const a of [
    'UsersApiAuthFailures', 'UsersApiDatabaseDown', 'UsersApiDatabasePoolSaturated', 'UsersApiDatabaseReplicationLag',
    'UsersApiDown', 'UsersApiErrorBudgetBurnFast', 'UsersApiErrorBudgetBurnSlow',
    'UsersApiHigh5xxRate', 'UsersApiHighLatencyP99', 'UsersApiLatencyBudgetBurnFast', 'UsersApiLatencyBudgetBurnSlow',
    'Watchdog', 'AlertRuleEvaluationFailures', 'AlertNotificationsFailing', 'AlertmanagerNotificationsFailing',
    'AlloyDown', 'AlloyLogShippingFailing', 'AlloyRemoteWriteFailing', 'PrometheusRemoteWriteReceiveErrors',
    'LokiIngestionErrors', 'UsersApiErrorLogs', 'UsersApiSuspiciousRequestBurst', 'UsersApiLogEventsDropped',
  ]) assert.ok(names.has(a), `alert ${a} is missing`);
  assert.equal(names.size, alerts.length + lokiAlerts.length, 'alert names are unique across Prometheus and Loki rules');
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
  const extra = [...alerts, { ...sample, alert: 'UsersApiUntested' }];
  assert.deepEqual(coverageProblems(alertCoverage(extra, ruleTests)), [
    'UsersApiUntested: no promtool test case where it fires', 'UsersApiUntested: no promtool test case where it must stay silent',
  ]);
});

test('every alert (Prometheus and Loki ruler) has a severity, a summary, a description and an absolute runbook link with its sections', () => {
  assert.deepEqual(alertMetadataProblems([...alerts, ...lokiAlerts], repoDir), []);
});

test('the runbook links are built from the one repository URL of gitops/repository/repository.yaml', () => {
  const label = '${REPOSITORY_WEB_URL}/blob/${REPOSITORY_REVISION}/docs/runbooks/';
  const prom = YAML.parse(fs.readFileSync(path.join(monitoringDir, 'prometheus', 'prometheus.yml'), 'utf8'));
  const loki = YAML.parse(fs.readFileSync(path.join(monitoringDir, 'loki', 'loki.yaml'), 'utf8'));
  assert.equal(prom.global.external_labels.runbooks, label);
  assert.equal(loki.ruler.external_labels.runbooks, label);
  for (const cfg of [prom.alerting, loki.ruler]) assert.deepEqual(cfg.alert_relabel_configs, [{ action: 'labeldrop', regex: 'runbooks' }], 'alerts need not carry it');
  const rendered = YAML.parseAllDocuments(execFileSync('kubectl', ['kustomize', monitoringDir], { encoding: 'utf8' })).map((d) => d.toJSON());
  const { url, revision } = repository();
  for (const name of ['prometheus', 'loki']) {
    const set = rendered.find((o) => o?.kind === 'StatefulSet' && o.metadata.name === name).spec.template.spec;
    const env = Object.fromEntries(set.containers[0].env.map((e) => [e.name, e.value]));
    assert.equal(env.REPOSITORY_WEB_URL, url.replace(/\.git$/, ''), `${name}: REPOSITORY_WEB_URL`);
    assert.equal(env.REPOSITORY_REVISION, revision, `${name}: REPOSITORY_REVISION`);
    assert.equal(label.replace('${REPOSITORY_WEB_URL}', env.REPOSITORY_WEB_URL).replace('${REPOSITORY_REVISION}', env.REPOSITORY_REVISION), runbookBase());
  }
  assert.ok(rendered.find((o) => o?.metadata?.name === 'loki' && o.kind === 'StatefulSet').spec.template.spec.containers[0].args.includes('-config.expand-env=true'));
  assert.match(runbookBase(), /^https:\/\/.+\/blob\/.+\/docs\/runbooks\/$/);
});

test('the metadata check reports a relative link, a missing runbook, a runbook without sections and a missing severity', () => {
  const broken = [
    { ...sample, annotations: { ...sample.annotations, runbook_url: `${RUNBOOK_PREFIX}no-such-runbook.md` } },
    { ...sample, annotations: { ...sample.annotations, runbook_url: 'docs/runbooks/users-api-down.md' } },
    { ...sample, labels: {} },
    { ...sample, alert: 'Watchdog', labels: { severity: 'critical' } },
  ];
  const problems = alertMetadataProblems(broken, repoDir).join('\n');
  assert.match(problems, /no-such-runbook\.md does not exist/);
  assert.match(problems, /runbook_url docs\/runbooks\/users-api-down\.md must be '\{\{ \$externalLabels\.runbooks \}\}<page>\.md'/);
  assert.match(problems, /labels\.severity must be critical or warning/);
  assert.match(problems, /Watchdog: labels\.severity must be none/);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-check-'));
  try {
    fs.mkdirSync(path.join(tmp, 'docs', 'runbooks'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'docs', 'runbooks', 'x.md'), `# ${sample.alert}\n\n## Meaning\n\ntext\n`);
    const thin = alertMetadataProblems([{ ...sample, annotations: { ...sample.annotations, runbook_url: `${RUNBOOK_PREFIX}x.md` } }], tmp);
    assert.deepEqual(thin.map((p) => p.replace(/.*has no /, '')), ['"## Impact" section', '"## Diagnosis" section', '"## Mitigation" section', '"## Verification" section']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('Loki ruler rules: every LogQL expression parses, every alert waits or counts over a window, every file is deployed', () => {
  assert.ok(lokiAlerts.length >= 2);
  for (const a of lokiAlerts) {
    assert.deepEqual(logqlSyntaxErrors(a.expr), [], a.alert);
    assert.match(a.expr, /count_over_time|rate\(|bytes_over_time/, `${a.alert}: a log alert needs a metric query`);
  }
  assert.match(logqlSyntaxErrors('sum by (namespace) (count_over_time({app="users-api"} | json | event="x [5m])) > 20').join('\n'), /syntax error/);
  const k = YAML.parse(fs.readFileSync(path.join(monitoringDir, 'loki', 'kustomization.yaml'), 'utf8'));
  const deployed = k.configMapGenerator.find((g) => g.name === 'loki-rules').files.map((f) => path.basename(f)).sort();
  assert.deepEqual(deployed, lokiRuleFiles.map((r) => r.name));
});

test('watcher rules read only metrics the pinned components define (tests/upstream-metrics.yaml), per scrape job', () => {
  const upstream = YAML.parse(fs.readFileSync(path.join(testsDir, 'upstream-metrics.yaml'), 'utf8'));
  const problems = [];
  for (const r of rules.filter((x) => path.basename(x.file).startsWith('monitoring-'))) {
    for (const s of analyzePromQL(r.expr).selectors) {
      if (!s.metric) continue;
      const job = s.matchers.find((m) => m.label === 'job' && m.op === '=')?.value;
      if (!job) problems.push(`${r.alert}: ${s.metric} must select its scrape job (job="...")`);
      else if (!upstream[job]?.metrics?.[s.metric] && s.metric !== 'up') problems.push(`${r.alert}: ${s.metric} is not a metric of ${job} ${upstream[job]?.version ?? '(unknown job)'}`);
    }
  }
  assert.deepEqual(problems, []);
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
