// End to end with real processes on loopback: the packaged users-api on a throwaway PostgreSQL (its store in
// every deployed environment) and a real Prometheus that loads the repository's rule files and scrapes the
// service's admin /metrics every second (in the cluster Alloy scrapes and remote-writes; the series and
// their labels are the same).
//   1. ordinary traffic with a few auth failures: UsersApiAuthFailures stays inactive;
//   2. a burst of 401/403s: the alert goes pending, then fires after its "for";
//   3. every PromQL query of the dashboards returns data, every rule evaluates. Queries that read only
//      another exporter's metrics (contract-allowances.yaml, exporters: CloudNativePG's) have no
//      exporter here: they are evaluated (they must parse and run) but need not return data.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { repoDir, rulesDir, dashboardsDir, alloyConfig, testsDir } from '../lib/paths.mjs';
import { analyzePromQL } from '../lib/promql.mjs';
import { loadRuleFiles, rulesOf } from '../lib/rules.mjs';
import { loadDashboards, queriesOf, parseLabelValues } from '../lib/dashboards.mjs';
import { substituteVariables } from '../lib/grafana-vars.mjs';
import { scrapeTargetLabels } from '../lib/alloy.mjs';
import { runbookBase } from '../lib/repository.mjs';
import { requireTool, tempDir, startOnFreePorts, nextScrape, start, stop, waitFor, http, sha256Hex, PrometheusApi } from './harness.mjs';
import { startPostgres } from './postgres.mjs';

const NAMESPACE = 'users-e2e';
const ALERT = 'UsersApiAuthFailures';
const jar = path.join(repoDir, 'service', 'target', 'users-api.jar');
const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';

// Metrics of exporters that do not run here (the database's): a query reading only those may come back empty.
const exporterMetrics = new Set((YAML.parse(fs.readFileSync(path.join(testsDir, 'contract-allowances.yaml'), 'utf8')).exporters ?? [])
  .flatMap((e) => Object.keys(e.metrics)));
const readsOnlyExporters = (expr) => {
  const metrics = analyzePromQL(expr).selectors.map((s) => s.metric);
  return metrics.length > 0 && metrics.every((m) => exporterMetrics.has(m));
};

const log = (msg) => console.log(`e2e ${new Date().toISOString().slice(11, 19)} ${msg}`);

test('the auth-failure alert fires on a burst of 401/403 and not on ordinary traffic; dashboards find data', { timeout: 300_000 }, async () => {
  assert.ok(fs.existsSync(jar), `${path.relative(repoDir, jar)} is missing: build it with ./mvnw -B -ntp -pl service package -DskipTests (or run ./mvnw -B -ntp verify)`);
  requireTool('prometheus', 'install it with apt-get install prometheus');
  requireTool(java, 'install a JDK 21 or newer, or set JAVA_HOME');

  const dir = tempDir();

  // --- PostgreSQL, the store of every deployed environment (the database panels read the pool's metrics)
  const postgres = await startPostgres();
  after(() => stop(postgres.child));
  log(`PostgreSQL up: ${postgres.env.USERS_API_DB_URL}`);

  // --- the service, with one writer token (the file holds only its sha256)
  const writerToken = `e2e-writer-${sha256Hex(String(Math.random())).slice(0, 16)}`;
  fs.writeFileSync(path.join(dir, 'tokens'), `writer ${sha256Hex(writerToken)}\n`);
  const serviceLog = path.join(dir, 'service.log');
  const { child: service, ports: [httpPort, adminPort] } = await startOnFreePorts('users-api', 2,
    ([httpPort, adminPort]) => start(java, ['-jar', jar], {
      env: { HTTP_PORT: String(httpPort), ADMIN_PORT: String(adminPort), USERS_API_TOKENS_FILE: path.join(dir, 'tokens'), USERS_API_DRAIN_SECONDS: '0',
        ...postgres.env },
      logFile: serviceLog,
    }),
    async ([, adminPort]) => (await http('GET', `http://127.0.0.1:${adminPort}/health/ready`)).status === 200,
    { logFile: serviceLog, timeoutMs: 60_000 });
  after(() => stop(service));
  const api = `http://127.0.0.1:${httpPort}`;
  log(`users-api ready: http ${httpPort}, admin ${adminPort}`);

  // --- Prometheus with the repository's rules; the target carries the labels Alloy's relabelling sets
  const values = { namespace: NAMESPACE, pod: 'users-api-e2e', container: 'users-api' };
  const targetLabels = Object.fromEntries([...scrapeTargetLabels(fs.readFileSync(alloyConfig, 'utf8'))]
    .filter((l) => l !== 'job' && l !== 'instance').map((l) => [l, values[l] ?? 'e2e']));
  const ruleFiles = loadRuleFiles(rulesDir);
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify({
    // The external label the runbook links start with, as the cluster's Prometheus expands it.
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s', external_labels: { runbooks: runbookBase() } },
    rule_files: ruleFiles.map((r) => r.file),
    scrape_configs: [{
      job_name: 'users-api',
      metrics_path: '/metrics',
      static_configs: [{ targets: [`127.0.0.1:${adminPort}`], labels: targetLabels }],
    }],
  }));
  const prometheusLog = path.join(dir, 'prometheus.log');
  const { child: prometheus, ports: [promPort] } = await startOnFreePorts('Prometheus', 1,
    ([promPort]) => start('prometheus', [
      `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn',
    ], { logFile: prometheusLog }),
    async ([promPort]) => (await http('GET', `http://127.0.0.1:${promPort}/-/ready`)).status === 200,
    { logFile: prometheusLog, timeoutMs: 30_000 });
  after(() => stop(prometheus));
  const prom = new PrometheusApi(`http://127.0.0.1:${promPort}`);
  const rulesLoaded = await prom.get('/api/v1/rules');
  assert.equal(rulesLoaded.groups.flatMap((g) => g.rules).length, rulesOf(ruleFiles).length, 'Prometheus loaded every rule');
  await waitFor('the first successful scrape', async () => (await prom.query('up{job="users-api"} == 1')).result.length === 1, { timeoutMs: 30_000 });
  log(`Prometheus ${promPort} scrapes users-api and loaded ${rulesOf(ruleFiles).length} rules`);

  const writer = { Authorization: `Bearer ${writerToken}`, 'Content-Type': 'application/json' };
  const missingToken = () => http('POST', `${api}/api/users`, { headers: { 'Content-Type': 'application/json' }, body: '{"name":"x","email":"x@example.org"}' });
  const invalidToken = () => http('POST', `${api}/api/users`, { headers: { ...writer, Authorization: 'Bearer not-a-known-token' }, body: '{"name":"x","email":"x@example.org"}' });
  const forbidden = () => http('DELETE', `${api}/api/users/1`, { headers: writer });

  // --- 1. ordinary traffic over ten scrapes, three auth failures in all: far below 5 per minute
  const failuresCounted = async () =>
    Number((await prom.query(`sum(users_api_auth_failures_total{namespace="${NAMESPACE}"})`)).result[0]?.value[1] ?? -1);
  for (let i = 0; i < 10; i++) {
    assert.equal((await http('GET', `${api}/`)).status, 200);
    assert.equal((await http('GET', `${api}/api/users`)).status, 200);
    const created = await http('POST', `${api}/api/users`, { headers: writer, body: JSON.stringify({ name: `E2E ${i}`, email: `e2e-${i}@example.org` }) });
    assert.equal(created.status, 201, created.text);
    assert.equal((await http('GET', `${api}/api/users/no-such-id`)).status, 404);
    await nextScrape(prom, 'users-api');
  }
  // Spread out as ordinary traffic has them: each failure is counted by Prometheus before the next is sent.
  for (const [n, [call, status]] of [[missingToken, 401], [invalidToken, 401], [forbidden, 403]].entries()) {
    assert.equal((await call()).status, status);
    await waitFor(`auth failure ${n + 1} counted by Prometheus`, async () => (await failuresCounted()) === n + 1, { timeoutMs: 20_000, intervalMs: 200 });
  }
  let lastEvaluation = (await prom.rule(ALERT)).lastEvaluation;
  for (let i = 0; i < 10; i++) {
    const rule = await waitFor(`evaluation ${i + 1} of ${ALERT}`, async () => {
      const r = await prom.rule(ALERT);
      return r.lastEvaluation !== lastEvaluation && r;
    }, { timeoutMs: 10_000, intervalMs: 200 });
    lastEvaluation = rule.lastEvaluation;
    assert.equal(rule.health, 'ok', rule.lastError);
    assert.equal(rule.state, 'inactive', `without a burst of failures ${ALERT} must stay inactive, is ${rule.state}`);
  }
  const quietRate = Number((await prom.query(`sum(rate(users_api_auth_failures_total{namespace="${NAMESPACE}"}[5m])) * 60`)).result[0].value[1]);
  assert.equal((await prom.alerts(ALERT)).length, 0);
  log(`ordinary traffic: ${quietRate.toFixed(2)} auth failures/min over 5m, ${ALERT} inactive for 10 evaluations`);

  // --- 2. a burst: 60 rejected requests (missing, invalid, forbidden), three per scrape for 20 scrapes
  const burstStart = Date.now();
  for (let i = 0; i < 20; i++) {
    assert.equal((await missingToken()).status, 401);
    assert.equal((await invalidToken()).status, 401);
    assert.equal((await forbidden()).status, 403);
    await nextScrape(prom, 'users-api');
  }
  const pending = await waitFor(`${ALERT} pending`, async () => (await prom.alerts(ALERT)).find((a) => a.state === 'pending' || a.state === 'firing'),
    { timeoutMs: 20_000 });
  log(`burst sent; ${ALERT} ${pending.state} after ${((Date.now() - burstStart) / 1000).toFixed(0)} s`);
  const firing = await waitFor(`${ALERT} firing`, async () => (await prom.alerts(ALERT)).find((a) => a.state === 'firing'), { timeoutMs: 120_000, intervalMs: 1000 });
  const burstRate = Number((await prom.query(`sum(rate(users_api_auth_failures_total{namespace="${NAMESPACE}"}[5m])) * 60`)).result[0].value[1]);
  log(`${ALERT} firing after ${((Date.now() - burstStart) / 1000).toFixed(0)} s at ${burstRate.toFixed(1)} failures/min`);
  assert.deepEqual(firing.labels, { alertname: ALERT, namespace: NAMESPACE, severity: 'warning' });
  assert.equal(firing.annotations.summary, `users-api in ${NAMESPACE} rejects more than 5 requests per minute for auth`);
  assert.equal(firing.annotations.runbook_url, `${runbookBase()}users-api-auth-failures.md`);

  // --- 3. every dashboard query returns data from the real service; every rule evaluates
  const problems = [];
  let evaluated = 0;
  for (const d of loadDashboards(dashboardsDir)) {
    for (const q of queriesOf(d.json)) {
      if (q.language === 'promql') {
        // Grafana would pick a rate interval of a few scrapes; at a 1 s scrape one minute is ample.
        const expr = substituteVariables(q.expr, { namespace: NAMESPACE, __rate_interval: '1m', __range: '5m' });
        try {
          const data = await prom.query(expr);
          if (!data.result.length && !readsOnlyExporters(expr)) problems.push(`${d.name}: ${q.where}: no data\n    ${expr}`);
        } catch (e) {
          problems.push(`${d.name}: ${q.where}: ${e.message}`);
        }
        evaluated++;
      } else if (q.language === 'promql-variable') {
        const lv = parseLabelValues(q.expr);
        const found = await prom.get(`/api/v1/label/${lv.label}/values?match[]=${encodeURIComponent(lv.selector)}`);
        if (!found.includes(NAMESPACE)) problems.push(`${d.name}: ${q.where}: ${q.expr} does not offer ${NAMESPACE}: ${found}`);
        evaluated++;
      }
    }
  }
  for (const r of rulesOf(ruleFiles)) {
    try {
      await prom.query(r.expr);
      if (r.record && !(await prom.query(r.record)).result.length) problems.push(`recording rule ${r.record} produced no series`);
    } catch (e) {
      problems.push(`${r.alert ?? r.record}: ${e.message}`);
    }
  }
  assert.deepEqual(problems, []);
  log(`${evaluated} dashboard queries returned data; ${rulesOf(ruleFiles).length} rules evaluate`);
});
