// Alertmanager's configuration, with Debian's amtool: it loads (check-config), and every alert rule of the
// repository (Prometheus and Loki ruler, every file, also ones added later) routes to the receiver it must
// reach, in every namespace it can fire in. Receiver secrets come only from mounted files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rulesDir, lokiRulesDir, alertmanagerDir } from '../lib/paths.mjs';
import { loadRuleFiles, rulesOf } from '../lib/rules.mjs';
import { loadAlertmanagerConfig, amtoolVersion, localConfig, routeCases, intendedReceiver, writeYaml } from '../lib/alertmanager.mjs';

const version = amtoolVersion();
const config = loadAlertmanagerConfig();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alertmanager-check-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function amtool(args) {
  try {
    return { code: 0, out: execFileSync('amtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { code: e.status ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const local = localConfig(config, version);
const configFile = writeYaml(path.join(tmp, 'alertmanager.yml'), local.config);
if (local.substitutions.length) console.log(`amtool ${version.join('.')} checks a copy: ${local.substitutions.join('; ')}`);

const alerts = [
  ...rulesOf(loadRuleFiles(rulesDir)).filter((r) => r.alert).map((r) => ({ ...r, source: `prometheus/rules/${path.basename(r.file)}` })),
  ...rulesOf(loadRuleFiles(lokiRulesDir)).filter((r) => r.alert).map((r) => ({ ...r, source: `loki/rules/${path.basename(r.file)}` })),
];

function routeProblems(file, cases) {
  const problems = [];
  for (const c of cases) {
    const labels = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`);
    const r = amtool(['config', 'routes', 'test', `--config.file=${file}`, ...labels]);
    const got = r.out.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Warning:')).join(',');
    if (r.code !== 0 || got !== c.receiver) problems.push(`${c.source}: ${c.alert} {${labels.join(', ')}} reaches "${got}", must reach "${c.receiver}"`);
  }
  return problems;
}

test('amtool check-config accepts the configuration and its templates', () => {
  const r = amtool(['check-config', configFile]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /SUCCESS/);
  assert.match(r.out, new RegExp(`${config.receivers.length} receivers`));
  assert.match(r.out, /1 templates/);
});

test('the only keys changed for the local amtool are the template path and, before 0.26, webhook url_file', () => {
  for (const s of local.substitutions) assert.match(s, /^templates: |webhook url_file \(Alertmanager 0\.26\+\) -> url/);
  const image = /image:\s*\S+\/alertmanager:v(\d+)\.(\d+)\.(\d+)/.exec(fs.readFileSync(path.join(alertmanagerDir, 'statefulset.yaml'), 'utf8'));
  assert.ok(image && (Number(image[1]) > 0 || Number(image[2]) >= 26), 'the Alertmanager image must be 0.26 or newer: the configuration uses webhook url_file');
});

test('every alert rule reaches its intended receiver in every namespace it can fire in', () => {
  const cases = routeCases(alerts);
  assert.ok(alerts.length >= 19, `only ${alerts.length} alert rules found`);
  assert.deepEqual(routeProblems(configFile, cases), []);
  const reached = new Set(cases.map((c) => c.receiver));
  for (const r of ['pager', 'chat', 'deadmansswitch']) assert.ok(reached.has(r), `no alert reaches ${r}`);
});

test('alerts without a known severity stay on the default receiver; a platform critical pages', () => {
  const cases = [
    { source: 'case', alert: 'Unlabelled', labels: { alertname: 'Unlabelled', namespace: 'users-prod' } },
    { source: 'case', alert: 'NoNamespace', labels: { alertname: 'NoNamespace', severity: 'info' } },
    { source: 'case', alert: 'PlatformCritical', labels: { alertname: 'PlatformCritical', severity: 'critical', namespace: 'monitoring' } },
    { source: 'case', alert: 'DevCritical', labels: { alertname: 'DevCritical', severity: 'critical', namespace: 'users-dev' } },
  ].map((c) => ({ ...c, receiver: intendedReceiver(c.labels) }));
  assert.deepEqual(cases.map((c) => c.receiver), ['default', 'default', 'pager', 'chat']);
  assert.deepEqual(routeProblems(configFile, cases), []);
});

test('the route check notices a tree that sends warnings to the pager', () => {
  const broken = structuredClone(local.config);
  broken.route.routes.find((r) => r.matchers.includes('severity="warning"')).receiver = 'pager';
  const file = writeYaml(path.join(tmp, 'broken.yml'), broken);
  const problems = routeProblems(file, routeCases(alerts.filter((a) => a.alert === 'UsersApiAuthFailures')));
  assert.deepEqual(problems.map((p) => p.replace(/ \{.*\}/, '')), [
    'prometheus/rules/users-api-alerts.yaml: UsersApiAuthFailures reaches "pager", must reach "chat"',
  ]);
});

test('receivers take their secrets only from files of the alertmanager-receivers Secret; default needs none', () => {
  const SECRET_KEYS = ['routing_key', 'service_key', 'api_url', 'url', 'api_key', 'webhook_url', 'token', 'bot_token', 'password'];
  const mount = '/etc/alertmanager/receivers/';
  for (const r of config.receivers) {
    const integrations = Object.entries(r).filter(([k]) => k.endsWith('_configs')).flatMap(([, v]) => v);
    if (r.name === 'default') {
      assert.equal(integrations.length, 0, 'the default receiver must work without any secret');
      continue;
    }
    assert.ok(integrations.length > 0, `${r.name} has no integration`);
    for (const i of integrations) {
      for (const k of SECRET_KEYS) assert.equal(i[k], undefined, `${r.name}: ${k} would put a secret in git; use ${k}_file`);
      const files = Object.entries(i).filter(([k]) => k.endsWith('_file'));
      assert.ok(files.length > 0, `${r.name}: no *_file key`);
      for (const [k, v] of files) assert.ok(v.startsWith(mount), `${r.name}: ${k} ${v} is not in the Secret's mount ${mount}`);
    }
  }
  assert.equal(config.route.receiver, 'default');
});

test('inhibitions: UsersApiDown mutes its namespace, critical mutes the warning twin', () => {
  const rules = config.inhibit_rules.map((r) => ({ source: r.source_matchers, target: r.target_matchers, equal: r.equal }));
  assert.deepEqual(rules, [
    { source: ['alertname="UsersApiDown"', 'namespace=~".+"'], target: ['alertname!="UsersApiDown"', 'alertname!="Watchdog"'], equal: ['namespace'] },
    { source: ['severity="critical"'], target: ['severity="warning"'], equal: ['alertname', 'namespace'] },
  ]);
});
