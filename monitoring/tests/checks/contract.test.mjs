// Contract: dashboards and alert rules ask only for metrics, labels, values and log fields that the
// service really emits — checked against its captured output (service/target/contract/, written by
// ContractCaptureIT during ./mvnw verify). Each check also runs on a broken query to prove it bites.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { contractDir, dashboardsDir, rulesDir, lokiRulesDir, alloyConfig, testsDir } from '../lib/paths.mjs';
import { loadDashboards, queriesOf } from '../lib/dashboards.mjs';
import { loadRuleFiles, rulesOf } from '../lib/rules.mjs';
import { parseExposition } from '../lib/metrics-text.mjs';
import { scrapeTargetLabels, lokiLabels } from '../lib/alloy.mjs';
import { promqlContract, variableContract, logqlContract, lokiEntries } from '../lib/contract.mjs';

const metricsFile = path.join(contractDir, 'metrics.txt');
const logsFile = path.join(contractDir, 'logs.jsonl');
for (const f of [metricsFile, logsFile]) {
  if (!fs.existsSync(f)) {
    throw new Error(`${path.relative(process.cwd(), f)} is missing: the service's contract capture writes it; run ./mvnw -B -ntp verify first`);
  }
}

const alloy = fs.readFileSync(alloyConfig, 'utf8');
const loki = lokiLabels(alloy);
// The service's rules; the stack's own (monitoring-*.yaml) read the components' metrics, held to
// tests/upstream-metrics.yaml by checks/rules.test.mjs instead.
const rules = rulesOf(loadRuleFiles(rulesDir)).filter((r) => !path.basename(r.file).startsWith('monitoring-'));
const lokiAlerts = rulesOf(loadRuleFiles(lokiRulesDir)).filter((r) => r.alert);
const allAlerts = rulesOf(loadRuleFiles(rulesDir)).filter((r) => r.alert);
const ctx = {
  samples: parseExposition(fs.readFileSync(metricsFile, 'utf8')),
  // ALERTS carries each alert's static labels and the labels its expression keeps (namespace, job, ...).
  alertLabels: new Set(allAlerts.flatMap((r) => [...Object.keys(r.labels ?? {}), ...[...r.expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((l) => l.trim()))])),
  targetLabels: scrapeTargetLabels(alloy),
  recorded: new Map(rules.filter((r) => r.record).map((r) => [r.record, r.expr])),
  allowances: YAML.parse(fs.readFileSync(path.join(testsDir, 'contract-allowances.yaml'), 'utf8')),
};
const logLines = fs.readFileSync(logsFile, 'utf8').split('\n').filter((l) => l.trim());
const entries = lokiEntries(logLines, loki);
const dashboards = loadDashboards(dashboardsDir);

function dashboardProblems(d) {
  const problems = [];
  for (const q of queriesOf(d.json)) {
    const where = `${d.name}: ${q.where}`;
    if (q.language === 'promql') problems.push(...promqlContract(q.expr, where, ctx, { legendFormat: q.legendFormat }));
    else if (q.language === 'promql-variable') problems.push(...variableContract(q.expr, where, ctx));
    else if (q.language === 'logql') problems.push(...logqlContract(q.expr, where, entries, loki, ctx));
    else if (q.language === 'logql-variable') {
      if (!loki.stream.has(q.label)) problems.push(`${where}: label_values of "${q.label}", which is not a Loki stream label`);
      problems.push(...logqlContract(q.expr, where, entries, loki, ctx));
    }
  }
  return problems;
}

function mutatedQuery(name, panelTitle, change) {
  const d = structuredClone(dashboards.find((x) => x.name === name));
  const p = d.json.panels.find((x) => x.title === panelTitle);
  assert.ok(p, `no panel "${panelTitle}" in ${name}`);
  change(p.targets[0]);
  return d;
}

test('the capture holds the metrics and log events the dashboards are built on', () => {
  assert.ok(ctx.samples.size > 20, `metrics.txt has only ${ctx.samples.size} sample names`);
  assert.ok(entries.length > 10, `logs.jsonl has only ${entries.length} lines`);
});

for (const d of dashboards) {
  test(`${d.name}: every query finds its metrics, labels, values and log fields in the real output`, () => {
    assert.deepEqual(dashboardProblems(d), []);
  });
}

test('alert and recording rules use only real metrics, labels and values; annotations only labels the alert has', () => {
  const problems = rules.flatMap((r) => promqlContract(r.expr, `${path.basename(r.file)}: ${r.alert ?? r.record}`, ctx, { annotations: r.annotations }));
  assert.deepEqual(problems, []);
});

test('log-based alert rules (Loki ruler) select real log lines with the fields they read', () => {
  assert.ok(lokiAlerts.length >= 2);
  const problems = lokiAlerts.flatMap((r) => logqlContract(r.expr, `${path.basename(r.file)}: ${r.alert}`, entries, loki, ctx));
  assert.deepEqual(problems, []);
  for (const r of lokiAlerts) {
    for (const m of String(Object.values(r.annotations ?? {})).matchAll(/\$labels\.([A-Za-z_]\w*)/g)) {
      assert.match(r.expr, new RegExp(`by \\([^)]*\\b${m[1]}\\b`), `${r.alert}: annotations use $labels.${m[1]}, which the query does not group by`);
    }
  }
  const burst = lokiAlerts.find((r) => r.alert === 'UsersApiSuspiciousRequestBurst');
  assert.match(logqlContract(burst.expr.replace('suspicious_request', 'suspicious_requests'), 'mutated', entries, loki, ctx).join('\n'), /no captured log line passes/);
  assert.match(logqlContract(burst.expr.replace('level="WARN"', 'level="WARN", event="x"'), 'mutated', entries, loki, ctx).join('\n'), /\{event\} is not a Loki stream label/);
});

test('the PromQL contract rejects an unknown metric, label, value, grouping and legend', () => {
  const panel = 'Request rate by route';
  const cases = [
    [(t) => { t.expr = t.expr.replace('http_request_duration_seconds_count', 'http_requests_total'); }, /metric http_requests_total is not in the service's output/],
    [(t) => { t.expr = t.expr.replace('job="users-api"', 'job="users-api", handler="x"'); }, /has no label "handler"/],
    [(t) => { t.expr = t.expr.replace('job="users-api"', 'job="users-api", method="FETCH"'); }, /no http_request_duration_seconds_count sample has method="FETCH"/],
    [(t) => { t.expr = t.expr.replace('job="users-api"', 'job="users-api", method=~"PATCH|OPTIONS"'); }, /method=~"PATCH\|OPTIONS" matches no captured/],
    [(t) => { t.expr = t.expr.replace('job="users-api"', 'job="user-api"'); }, /job is "users-api"/],
    [(t) => { t.expr = t.expr.replace('sum by (route)', 'sum by (path)'); }, /names label "path"/],
    [(t) => { t.legendFormat = '{{method}} {{route}}'; }, /uses \{\{method\}\}, which the query's result does not carry/],
  ];
  for (const [change, expected] of cases) {
    assert.match(dashboardProblems(mutatedQuery('users-api-overview.json', panel, change)).join('\n'), expected);
  }
  // Another exporter's metrics: only its own job and its declared labels.
  assert.match(promqlContract('cnpg_collector_up{job="users-api"}', 'q', ctx).join('\n'), /job is "postgresql"/);
  assert.match(promqlContract('max by (datname) (cnpg_pg_replication_lag{job="postgresql"})', 'q', ctx).join('\n'), /names label "datname"/);
  assert.match(promqlContract('cnpg_pg_replication_lagg{job="postgresql"}', 'q', ctx).join('\n'), /metric cnpg_pg_replication_lagg is not/);
  assert.deepEqual(promqlContract('max by (namespace, pod) (cnpg_pg_replication_lag{job="postgresql"})', 'q', ctx), []);
  const rule = rules.find((r) => r.alert === 'UsersApiAuthFailures');
  assert.match(promqlContract(rule.expr, 'rule', ctx, { annotations: { summary: 'in {{ $labels.pod }}' } }).join('\n'), /\$labels\.pod, which the alert's series do not carry/);
  assert.match(promqlContract('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{le="2"}[5m])))', 'q', ctx).join('\n'),
    /no http_request_duration_seconds_bucket sample has le="2"/);
});

test('the LogQL contract rejects a misspelt field or value, a template field some lines lack, and a label that is not a stream label', () => {
  const cases = [
    ['users-api-logs.json', 'HTTP status codes', (t) => { t.expr = t.expr.replace('event="http_request"', 'event="http_requests"'); }, /no captured log line passes/],
    ['users-api-logs.json', 'HTTP status codes', (t) => { t.expr = t.expr.replace('sum by (status)', 'sum by (status_code)'); }, /by \(\.\.\.\) uses "status_code"/],
    ['users-api-logs.json', 'HTTP status codes', (t) => { t.expr = t.expr.replace('| json |', '| json | statuscode != "500" |'); }, /reads "statuscode", a field no captured line has/],
    ['users-api-logs.json', 'Requests', (t) => { t.expr = t.expr.replace('{{.request_id}}', '{{.requestId}}'); }, /line_format uses "requestId"/],
    ['users-api-security.json', 'Security events', (t) => { t.expr = t.expr.replace('reason={{.reason}}', 'reason={{.reason}} status={{.status}}'); }, /line_format uses "status", missing from/],
    ['users-api-logs.json', 'All logs', (t) => { t.expr = t.expr.replace('app="users-api"', 'app="users-api", pod="x"'); }, /\{pod\} is not a Loki stream label/],
    ['users-api-logs.json', 'Warnings and errors', (t) => { t.expr = t.expr.replace('level=~"WARN|ERROR"', 'level="WARNING"'); }, /no captured log line passes/],
    ['users-api-logs.json', 'All logs', (t) => { t.expr = t.expr.replace('|~ "$filter"', '| logfmt'); }, /the logfmt parser finds nothing/],
  ];
  for (const [file, panel, change, expected] of cases) {
    assert.match(dashboardProblems(mutatedQuery(file, panel, change)).join('\n'), expected, `${file} / ${panel}`);
  }
});

test('allowances name real matchers and carry a reason', () => {
  for (const a of [...ctx.allowances.promqlRegex, ...ctx.allowances.emptyLogQueries]) assert.ok(a.reason?.length > 20, JSON.stringify(a));
  const used = ctx.allowances.promqlRegex.filter((a) => [...rules.map((r) => r.expr), ...dashboards.flatMap((d) => queriesOf(d.json).map((q) => q.expr))]
    .some((e) => e?.includes(`${a.label}=~"${a.regex}"`)));
  assert.deepEqual(used, ctx.allowances.promqlRegex, 'an allowance no query needs any more must be removed');
  const queries = [...rules.map((r) => r.expr), ...dashboards.flatMap((d) => queriesOf(d.json).map((q) => q.expr))].filter(Boolean);
  for (const e of ctx.allowances.exporters ?? []) {
    assert.ok(e.reason?.length > 20 && e.source?.length > 20 && e.job, JSON.stringify(e));
    for (const metric of Object.keys(e.metrics)) {
      assert.ok(queries.some((q) => new RegExp(`\\b${metric}\\b`).test(q)), `exporter metric ${metric} is listed but no query reads it: remove it`);
      assert.ok(!ctx.samples.has(metric), `${metric} is in the service's capture: it is the service's, not another exporter's`);
    }
  }
});
