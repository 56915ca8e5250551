// The routing tree's inhibitions and grouping on a real Alertmanager (the repository's configuration, its
// receivers turned into webhooks to a local receiver): alerts are posted to its API as Prometheus would, and
// what reaches each receiver is compared with what must.
//   users-prod: UsersApiDown pages and mutes the namespace's other alerts, critical or warning;
//   users-qa:   a critical alert mutes its warning twin (same name and namespace), not other warnings;
//   no namespace: an UsersApiDown without one (no target found at all) mutes nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadAlertmanagerConfig, webhookConfig, writeYaml } from '../lib/alertmanager.mjs';
import { firstInstalled, tempDir, startOnFreePorts, start, stop, waitFor, http, startWebhookReceiver } from './harness.mjs';

const posted = [
  { alertname: 'UsersApiDown', namespace: 'users-prod', severity: 'critical' },
  { alertname: 'UsersApiHigh5xxRate', namespace: 'users-prod', severity: 'critical' },
  { alertname: 'UsersApiHighLatencyP99', namespace: 'users-prod', severity: 'warning' },
  { alertname: 'UsersApiErrorBudgetBurn', namespace: 'users-qa', severity: 'critical' },
  { alertname: 'UsersApiErrorBudgetBurn', namespace: 'users-qa', severity: 'warning' },
  { alertname: 'UsersApiHighLatencyP99', namespace: 'users-qa', severity: 'warning' },
  { alertname: 'UsersApiDown', severity: 'critical' },
  { alertname: 'AlloyDown', namespace: 'monitoring', severity: 'critical' },
];
const delivered = [
  'pager UsersApiDown users-prod', 'pager UsersApiErrorBudgetBurn users-qa', 'chat UsersApiHighLatencyP99 users-qa',
  'pager UsersApiDown -', 'pager AlloyDown monitoring',
].sort();

test('UsersApiDown mutes its namespace, a critical alert mutes its warning twin, the rest is delivered', { timeout: 60_000 }, async () => {
  const alertmanagerBin = firstInstalled(['alertmanager', 'prometheus-alertmanager'], 'install it with apt-get install prometheus-alertmanager');
  const dir = tempDir();
  const webhook = await startWebhookReceiver();
  after(() => webhook.close());
  const config = writeYaml(path.join(dir, 'alertmanager.yml'), webhookConfig(loadAlertmanagerConfig(), webhook.url));
  const logFile = path.join(dir, 'alertmanager.log');
  const { child: am, ports: [amPort] } = await startOnFreePorts('Alertmanager', 1,
    ([amPort]) => start(alertmanagerBin, [
      `--config.file=${config}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=' /* no peers */,
    ], { logFile }),
    async ([amPort]) => (await http('GET', `http://127.0.0.1:${amPort}/-/ready`)).status === 200,
    { logFile, timeoutMs: 30_000 });
  after(() => stop(am));
  const base = `http://127.0.0.1:${amPort}`;

  const startsAt = new Date().toISOString();
  const res = await http('POST', `${base}/api/v2/alerts`, {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(posted.map((labels) => ({ labels, annotations: { summary: labels.alertname }, startsAt }))),
  });
  assert.equal(res.status, 200, res.text);

  const seen = () => [...new Set(webhook.received.flatMap((n) => n.body.alerts.map((a) => `${n.body.receiver} ${a.labels.alertname} ${a.labels.namespace ?? '-'}`)))].sort();
  await waitFor('every expected notification', async () => seen().length >= delivered.length, { timeoutMs: 20_000 });
  // Alertmanager decides inhibition when it flushes a group: once it holds exactly these as inhibited, no flush
  // can send them; one it failed to mute stays active here and the wait fails, without a fixed sleep.
  const expectedMuted = [
    'UsersApiErrorBudgetBurn users-qa warning', 'UsersApiHigh5xxRate users-prod critical', 'UsersApiHighLatencyP99 users-prod warning',
  ];
  const muted = async () => JSON.parse((await http('GET', `${base}/api/v2/alerts?inhibited=true&active=false&silenced=false`)).text)
    .map((a) => `${a.labels.alertname} ${a.labels.namespace} ${a.labels.severity}`).sort();
  await waitFor('the three muted alerts held as inhibited', async () => JSON.stringify(await muted()) === JSON.stringify(expectedMuted),
    { timeoutMs: 20_000, intervalMs: 200 }).catch(async (e) => { throw new Error(`${e.message}; inhibited: ${await muted()}`); });
  assert.deepEqual(seen(), delivered);
  for (const n of webhook.received) assert.equal(n.path, `/${n.body.receiver}`);
});
