// End to end, alert to person: the packaged users-api, a real Prometheus with the repository's rules, a
// real Alertmanager with the repository's routing tree, inhibitions and templates, and a local webhook
// receiver standing in for each receiver (PagerDuty, chat, heartbeat: a webhook per receiver name).
//   1. a steady stream of rejected requests drives UsersApiAuthFailures to firing;
//   2. the chat receiver gets exactly that alert, with its labels and absolute runbook link; nothing pages;
//   3. the stream stops, and the chat receiver gets the resolved notification;
//   4. the Watchdog reaches the dead man's switch receiver; the watcher rules' Prometheus and Alertmanager
//      metrics exist in the real binaries.
// The one change to a rule: UsersApiAuthFailures' rate window is 30s instead of 5m, so that it resolves
// within seconds of the last failure instead of 5 minutes (its "for", threshold, labels and annotations
// are the real ones). Measured: first bad request -> webhook; written to monitoring/tests/target/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { repoDir, rulesDir, alloyConfig, prometheusConfig, resultsDir, testsDir } from '../lib/paths.mjs';
import { loadRuleFiles, rulesOf } from '../lib/rules.mjs';
import { scrapeTargetLabels } from '../lib/alloy.mjs';
import { loadAlertmanagerConfig, webhookConfig, writeYaml } from '../lib/alertmanager.mjs';
import { runbookBase } from '../lib/repository.mjs';
import { analyzePromQL } from '../lib/promql.mjs';
import {
  requireTool, firstInstalled, tempDir, startOnFreePorts, nextScrape, start, stop, waitFor, http, sha256Hex, PrometheusApi, startWebhookReceiver,
} from './harness.mjs';

const NAMESPACE = 'users-e2e';
const ALERT = 'UsersApiAuthFailures';
const SHORT_WINDOW = '30s';
const jar = path.join(repoDir, 'service', 'target', 'users-api.jar');
const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const log = (msg) => console.log(`e2e ${new Date().toISOString().slice(11, 19)} ${msg}`);

/** The repository's rule files; in users-api-alerts.yaml the auth alert's window shortened (see above). */
function rulesForTest(dir) {
  return loadRuleFiles(rulesDir).map((rf) => {
    const doc = structuredClone(rf.doc);
    for (const r of doc.groups.flatMap((g) => g.rules)) {
      if (r.alert !== ALERT) continue;
      assert.match(r.expr, /\[5m\]/, `${ALERT} no longer has a 5m window; update this test`);
      r.expr = r.expr.replaceAll('[5m]', `[${SHORT_WINDOW}]`);
    }
    return writeYaml(path.join(dir, rf.name), doc);
  });
}

test('an auth-failure burst reaches the chat receiver with its runbook link, then resolves; the Watchdog feeds the dead man\'s switch', { timeout: 240_000 }, async () => {
  assert.ok(fs.existsSync(jar), `${path.relative(repoDir, jar)} is missing: build it with ./mvnw -B -ntp -pl service package -DskipTests (or run ./mvnw -B -ntp verify)`);
  requireTool('prometheus', 'install it with apt-get install prometheus');
  const alertmanagerBin = firstInstalled(['alertmanager', 'prometheus-alertmanager'], 'install it with apt-get install prometheus-alertmanager');
  requireTool(java, 'install a JDK 21 or newer, or set JAVA_HOME');

  const dir = tempDir();

  // --- the webhook receiver, and Alertmanager with the real tree pointing at it
  const webhook = await startWebhookReceiver();
  after(() => webhook.close());
  const amConfig = writeYaml(path.join(dir, 'alertmanager.yml'), webhookConfig(loadAlertmanagerConfig(), webhook.url));
  const alertmanagerLog = path.join(dir, 'alertmanager.log');
  const { child: alertmanager, ports: [amPort] } = await startOnFreePorts('Alertmanager', 1,
    ([amPort]) => start(alertmanagerBin, [
      `--config.file=${amConfig}`, `--storage.path=${path.join(dir, 'alertmanager')}`,
      `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=' /* no peers: no gossip to wait for */, '--log.level=info',
    ], { logFile: alertmanagerLog }),
    async ([amPort]) => (await http('GET', `http://127.0.0.1:${amPort}/-/ready`)).status === 200,
    { logFile: alertmanagerLog, timeoutMs: 30_000 });
  after(() => stop(alertmanager));
  const amLog = () => fs.readFileSync(alertmanagerLog, 'utf8').slice(-3000);

  // --- the service, with one writer token (the file holds only its sha256)
  const writerToken = `e2e-writer-${sha256Hex(String(Math.random())).slice(0, 16)}`;
  fs.writeFileSync(path.join(dir, 'tokens'), `writer ${sha256Hex(writerToken)}\n`);
  const serviceLog = path.join(dir, 'service.log');
  const { child: service, ports: [httpPort, adminPort] } = await startOnFreePorts('users-api', 2,
    ([httpPort, adminPort]) => start(java, ['-jar', jar], {
      env: { HTTP_PORT: String(httpPort), ADMIN_PORT: String(adminPort), USERS_API_TOKENS_FILE: path.join(dir, 'tokens'), USERS_API_DRAIN_SECONDS: '0' },
      logFile: serviceLog,
    }),
    async ([, adminPort]) => (await http('GET', `http://127.0.0.1:${adminPort}/health/ready`)).status === 200,
    { logFile: serviceLog, timeoutMs: 60_000 });
  after(() => stop(service));
  const api = `http://127.0.0.1:${httpPort}`;

  // --- Prometheus: the repository's rules, external labels and alerting; users-api with the labels Alloy
  // sets, and the stack's own jobs as prometheus.yml names them
  const real = YAML.parse(fs.readFileSync(prometheusConfig, 'utf8'));
  const values = { namespace: NAMESPACE, pod: 'users-api-e2e', container: 'users-api' };
  const targetLabels = Object.fromEntries([...scrapeTargetLabels(fs.readFileSync(alloyConfig, 'utf8'))]
    .filter((l) => l !== 'job' && l !== 'instance').map((l) => [l, values[l] ?? 'e2e']));
  const ruleFiles = rulesForTest(dir);
  const prometheusLog = path.join(dir, 'prometheus.log');
  const { child: prometheus, ports: [promPort] } = await startOnFreePorts('Prometheus', 1, ([promPort]) => {
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify({
      // The external labels as the cluster's Prometheus expands them (runbooks: from repository.yaml).
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s', external_labels: { ...real.global.external_labels, runbooks: runbookBase() } },
      rule_files: ruleFiles,
      alerting: {
        alert_relabel_configs: real.alerting.alert_relabel_configs,
        alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }],
      },
      scrape_configs: [
        { job_name: 'users-api', static_configs: [{ targets: [`127.0.0.1:${adminPort}`], labels: targetLabels }] },
        { job_name: 'prometheus', static_configs: [{ targets: [`127.0.0.1:${promPort}`], labels: { namespace: 'monitoring' } }] },
        { job_name: 'alertmanager', static_configs: [{ targets: [`127.0.0.1:${amPort}`], labels: { namespace: 'monitoring' } }] },
      ],
    }));
    return start('prometheus', [
      `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`, '--web.enable-remote-write-receiver', '--log.level=warn',
      // Resend firing alerts every second, not every minute: the first send can precede Alertmanager's discovery.
      '--rules.alert.resend-delay=1s',
    ], { logFile: prometheusLog });
  }, async ([promPort]) => (await http('GET', `http://127.0.0.1:${promPort}/-/ready`)).status === 200,
  { logFile: prometheusLog, timeoutMs: 30_000 });
  after(() => stop(prometheus));
  const prom = new PrometheusApi(`http://127.0.0.1:${promPort}`);
  await waitFor('every scrape target up', async () => (await prom.query('up == 1')).result.length === 3, { timeoutMs: 30_000 });
  log(`users-api ${httpPort}/${adminPort}, Prometheus ${promPort}, Alertmanager ${amPort}, webhook ${webhook.url}`);

  // --- 4a. the Watchdog goes to the dead man's switch, and only there
  const heartbeat = await waitFor('the Watchdog at the deadmansswitch receiver',
    async () => webhook.received.find((n) => n.path === '/deadmansswitch'), { timeoutMs: 30_000 })
    .catch(async (e) => { throw new Error(`${e.message}; received: ${webhook.received.map((n) => n.path)}; Prometheus notifications: ${JSON.stringify((await prom.query('{__name__=~"prometheus_notifications_.*"}')).result.map((r) => [r.metric.__name__, r.value[1]]))}; Alertmanager alerts: ${(await http('GET', `http://127.0.0.1:${amPort}/api/v2/alerts`)).text}\n${amLog()}`); });
  assert.deepEqual(heartbeat.body.alerts.map((a) => a.labels.alertname), ['Watchdog']);
  assert.equal(heartbeat.body.receiver, 'deadmansswitch');

  // --- 1. a steady stream of 401/403s, until the notification arrives
  const writer = { Authorization: `Bearer ${writerToken}`, 'Content-Type': 'application/json' };
  const rejected = [
    () => http('POST', `${api}/api/users`, { headers: { 'Content-Type': 'application/json' }, body: '{"name":"x","email":"x@example.org"}' }),
    () => http('POST', `${api}/api/users`, { headers: { ...writer, Authorization: 'Bearer not-a-known-token' }, body: '{"name":"x","email":"x@example.org"}' }),
    () => http('DELETE', `${api}/api/users/1`, { headers: writer }),
  ];
  const notifications = (status) => webhook.received.filter((n) => n.path !== '/deadmansswitch' && n.body.status === status);
  const firstBadRequest = Date.now();
  let sent = 0;
  let firing;
  while (!(firing = notifications('firing')[0])) {
    assert.ok(Date.now() - firstBadRequest < 150_000, `no firing notification within 150 s of the first bad request\n${amLog()}`);
    const res = await rejected[sent % 3]();
    assert.ok([401, 403].includes(res.status), `expected 401/403, got ${res.status}`);
    sent++;
    await nextScrape(prom, 'users-api'); // one rejected request per scrape: a steady rate, paced by Prometheus itself
  }
  const lastBadRequest = Date.now();
  const toWebhook = (firing.at - firstBadRequest) / 1000;
  const promAlert = (await prom.alerts(ALERT)).find((a) => a.state === 'firing');
  log(`${sent} rejected requests; ${ALERT} reached the webhook ${toWebhook.toFixed(1)} s after the first one`);

  // --- 2. exactly that alert, at the chat receiver, with its labels and absolute runbook link
  const rule = rulesOf(loadRuleFiles(rulesDir)).find((r) => r.alert === ALERT);
  assert.equal(firing.path, '/chat', `${ALERT} (warning) must reach the chat receiver`);
  assert.equal(firing.body.receiver, 'chat');
  assert.equal(firing.body.alerts.length, 1, JSON.stringify(firing.body.alerts.map((a) => a.labels)));
  const [alert] = firing.body.alerts;
  assert.equal(alert.status, 'firing');
  const { runbooks, ...carried } = real.global.external_labels; // runbooks is dropped by alert_relabel_configs
  assert.ok(runbooks);
  assert.deepEqual(alert.labels, { alertname: ALERT, namespace: NAMESPACE, severity: 'warning', ...carried });
  assert.equal(alert.annotations.runbook_url, `${runbookBase()}users-api-auth-failures.md`);
  assert.match(alert.annotations.runbook_url, /^https:\/\//);
  assert.equal(alert.annotations.summary, rule.annotations.summary.replace('{{ $labels.namespace }}', NAMESPACE));
  assert.deepEqual(firing.body.groupLabels, { alertname: ALERT, namespace: NAMESPACE });
  assert.ok(promAlert, `${ALERT} is not firing in Prometheus`);

  // --- 3. the stream has stopped: the resolved notification follows, to the same receiver
  const resolved = await waitFor(`the resolved notification of ${ALERT}`, async () => notifications('resolved')[0], { timeoutMs: 90_000, intervalMs: 250 })
    .catch((e) => { throw new Error(`${e.message}\n${amLog()}`); });
  const toResolved = (resolved.at - lastBadRequest) / 1000;
  assert.equal(resolved.path, '/chat');
  assert.deepEqual(resolved.body.alerts.map((a) => [a.status, a.labels.alertname, a.labels.namespace]), [['resolved', ALERT, NAMESPACE]]);
  assert.equal(resolved.body.alerts[0].annotations.runbook_url, alert.annotations.runbook_url);
  log(`resolved notification ${toResolved.toFixed(1)} s after the last bad request`);

  // nothing else reached anyone: no page, nothing on the default receiver, no other alert
  const others = webhook.received.filter((n) => n.path !== '/deadmansswitch')
    .flatMap((n) => n.body.alerts.map((a) => `${n.path} ${a.status} ${a.labels.alertname}`));
  assert.deepEqual([...new Set(others)].sort(), [`/chat firing ${ALERT}`, `/chat resolved ${ALERT}`]);
  assert.deepEqual([...new Set(webhook.received.filter((n) => n.path === '/deadmansswitch').flatMap((n) => n.body.alerts.map((a) => a.labels.alertname)))], ['Watchdog']);

  // --- 4b. the watcher rules' Prometheus and Alertmanager metrics exist in the real binaries
  const upstream = YAML.parse(fs.readFileSync(path.join(testsDir, 'upstream-metrics.yaml'), 'utf8'));
  const missing = [];
  for (const job of ['prometheus', 'alertmanager']) {
    const names = await prom.get(`/api/v1/label/__name__/values?match[]=${encodeURIComponent(`{job="${job}"}`)}`);
    for (const metric of Object.keys(upstream[job].metrics)) if (!names.includes(metric)) missing.push(`${job}: ${metric}`);
  }
  const watcherMetrics = rulesOf(loadRuleFiles(rulesDir)).filter((r) => path.basename(r.file).startsWith('monitoring-'))
    .flatMap((r) => analyzePromQL(r.expr).selectors).filter((s) => ['prometheus', 'alertmanager'].includes(s.matchers.find((m) => m.label === 'job')?.value));
  assert.ok(watcherMetrics.length >= 5);
  assert.deepEqual(missing, [], 'metrics of upstream-metrics.yaml that the real Prometheus/Alertmanager do not expose');

  // --- the measurement
  const result = {
    what: 'first rejected request -> webhook receives the firing UsersApiAuthFailures notification',
    firstBadRequestToWebhookSeconds: Number(toWebhook.toFixed(1)),
    lastBadRequestToResolvedSeconds: Number(toResolved.toFixed(1)),
    rejectedRequests: sent,
    setting: {
      scrapeInterval: '1s', evaluationInterval: '1s', ruleFor: rule.for, ruleWindow: `${SHORT_WINDOW} (5m in the repository)`,
      groupWait: '1s', groupInterval: '2s', requestPace: '2 per second',
    },
    productionBound: 'in the cluster add up to 15s scrape + 15s evaluation + 30s group_wait: about for + 1 minute',
    prometheus: 'Debian prometheus', alertmanager: `${alertmanagerBin} (Debian)`,
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'notification-e2e.json'), `${JSON.stringify(result, null, 2)}\n`);
  log(`first bad request -> webhook: ${result.firstBadRequestToWebhookSeconds} s (rule "for" ${rule.for}); written to ${path.relative(repoDir, path.join(resultsDir, 'notification-e2e.json'))}`);
});
