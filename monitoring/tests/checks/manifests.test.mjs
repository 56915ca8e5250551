// The rendered stack wires together: Services, ports and URLs agree; images are pinned and match
// their version labels and the tools we test with; no credential is in git.
// Pod Security and the other repository-wide rules are the policy module's job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { monitoringDir, alloyConfig, datasourcesFile, testsDir, prometheusConfig, alertmanagerConfig } from '../lib/paths.mjs';

function render() {
  try {
    return execFileSync('kubectl', ['kustomize', monitoringDir], { encoding: 'utf8' });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error('kubectl not found: install kubectl (it renders Kustomize: kubectl kustomize monitoring)');
    throw e;
  }
}

const objects = YAML.parseAllDocuments(render()).map((d) => d.toJSON()).filter(Boolean);
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const workloads = [...byKind('Deployment'), ...byKind('StatefulSet')];
const service = (name) => byKind('Service').find((s) => s.metadata.name === name);

function urlTarget(url) {
  const u = new URL(url);
  const [name, namespace] = u.hostname.split('.');
  return { name, namespace, port: Number(u.port) };
}

function assertServiceUrl(url, what) {
  const t = urlTarget(url);
  assert.equal(t.namespace, 'monitoring', `${what}: ${url}`);
  const s = service(t.name);
  assert.ok(s, `${what}: no Service ${t.name} in the rendered stack`);
  assert.ok(s.spec.ports.some((p) => p.port === t.port), `${what}: Service ${t.name} has no port ${t.port}`);
}

test('everything renders into namespace monitoring, which enforces Pod Security restricted', () => {
  for (const o of objects) {
    if (['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) continue;
    assert.equal(o.metadata.namespace, 'monitoring', `${o.kind}/${o.metadata.name}`);
  }
  const ns = byKind('Namespace').find((n) => n.metadata.name === 'monitoring');
  for (const mode of ['enforce', 'audit', 'warn']) assert.equal(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`], 'restricted');
});

test('Alloy ships to the Loki and Prometheus Services; Grafana reads from them', () => {
  const alloy = fs.readFileSync(alloyConfig, 'utf8');
  assertServiceUrl(/loki\.write[\s\S]*?url\s*=\s*"([^"]+)"/.exec(alloy)[1], 'loki.write');
  assertServiceUrl(/prometheus\.remote_write[\s\S]*?url\s*=\s*"([^"]+)"/.exec(alloy)[1], 'prometheus.remote_write');
  for (const ds of YAML.parse(fs.readFileSync(datasourcesFile, 'utf8')).datasources) assertServiceUrl(ds.url, `data source ${ds.name}`);
});

test('Prometheus receives remote writes, keeps bounded retention and loads the rule ConfigMap', () => {
  const prom = byKind('StatefulSet').find((s) => s.metadata.name === 'prometheus').spec.template.spec;
  const args = prom.containers[0].args;
  assert.ok(args.includes('--web.enable-remote-write-receiver'));
  assert.ok(args.some((a) => a.startsWith('--storage.tsdb.retention.time=')));
  assert.ok(args.some((a) => a.startsWith('--storage.tsdb.retention.size=')));
  const rules = prom.volumes.find((v) => v.name === 'rules').configMap.name;
  assert.ok(byKind('ConfigMap').some((c) => c.metadata.name === rules && Object.keys(c.data).length >= 2));
});

test('images are pinned to a release and agree with the version labels', () => {
  for (const w of workloads) {
    for (const c of w.spec.template.spec.containers) {
      const m = /^[\w.-]+\/[\w./-]+:v?(\d+\.\d+\.\d+)$/.exec(c.image);
      assert.ok(m, `${w.metadata.name}: image ${c.image} is not pinned to an exact version`);
      assert.equal(w.spec.template.metadata.labels['app.kubernetes.io/version'], m[1], `${w.metadata.name}: version label`);
    }
  }
  const majors = Object.fromEntries(workloads.map((w) => [w.metadata.name, w.spec.template.spec.containers[0].image.split(':').pop()]));
  assert.match(majors.loki, /^3\./);
  assert.match(majors.alloy, /^v1\./);
  assert.match(majors.prometheus, /^v3\./);
  assert.match(majors.grafana, /^12\./);
  assert.match(majors.alertmanager, /^v0\.(2[6-9]|[3-9]\d)\./, 'webhook url_file needs Alertmanager 0.26 or newer');
  const lock = JSON.parse(fs.readFileSync(path.join(testsDir, 'package-lock.json'), 'utf8'));
  const lezerPromql = lock.packages['node_modules/@prometheus-io/lezer-promql'].version;
  assert.equal(lezerPromql, `0.${majors.prometheus.replace(/^v(\d+)\.(\d+)\.\d+$/, (_, a, b) => `${a}${b.padStart(2, '0')}`)}.0`,
    'pin @prometheus-io/lezer-promql to the PromQL grammar of the deployed Prometheus (v3.8.x -> 0.308.0)');
});

test('Grafana takes its admin credentials from a Secret that is not in git', () => {
  assert.equal(byKind('Secret').length, 0, 'no Secret may be rendered from git');
  const g = byKind('Deployment').find((d) => d.metadata.name === 'grafana').spec.template.spec;
  const env = Object.fromEntries(g.containers[0].env.map((e) => [e.name, e]));
  assert.ok(!('GF_SECURITY_ADMIN_PASSWORD' in env), 'the admin password must come from a file, not a literal');
  assert.equal(g.volumes.find((v) => v.name === 'admin').secret.secretName, 'grafana-admin');
  assert.match(env.GF_SECURITY_ADMIN_PASSWORD__FILE.value, /^\/etc\/grafana\/admin\//);
  assert.equal(env.GF_PLUGINS_PREINSTALL_DISABLED.value, 'true');
});

test('only Alloy gets a service account token, and the monitoring stack holds no cluster-wide grant', () => {
  for (const w of workloads) {
    assert.equal(w.spec.template.spec.automountServiceAccountToken, w.metadata.name === 'alloy', w.metadata.name);
  }
  // Alloy's reads are Roles in the watched namespaces (base/log-reader-rbac.yaml), checked with the overlays.
  assert.deepEqual([...byKind('ClusterRole'), ...byKind('ClusterRoleBinding'), ...byKind('Role'), ...byKind('RoleBinding')]
    .map((o) => `${o.kind} ${o.metadata.name}`), []);
});

test('NetworkPolicies: default deny, and each allowed flow names its peers and port', () => {
  const policies = byKind('NetworkPolicy');
  const deny = policies.find((p) => p.metadata.name === 'default-deny');
  assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  const app = (p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'];
  const ingressFrom = (name) => policies.filter((p) => app(p) === name && p.spec.ingress)
    .flatMap((p) => p.spec.ingress.flatMap((r) => r.from.map((f) => f.podSelector.matchLabels['app.kubernetes.io/name'])));
  assert.deepEqual(ingressFrom('loki').sort(), ['alloy', 'grafana', 'prometheus']);
  assert.deepEqual(ingressFrom('prometheus').sort(), ['alloy', 'grafana']);
  assert.deepEqual(ingressFrom('grafana'), []);
  assert.deepEqual(ingressFrom('alloy'), ['prometheus']);
  assert.deepEqual(ingressFrom('alertmanager').sort(), ['alertmanager', 'grafana', 'loki', 'prometheus']);
  const egressTo = (from, to) => policies.filter((p) => app(p) === from && p.spec.egress)
    .flatMap((p) => p.spec.egress).filter((r) => r.to?.some((t) => t.podSelector?.matchLabels?.['app.kubernetes.io/name'] === to))
    .flatMap((r) => r.ports);
  for (const sender of ['prometheus', 'loki', 'grafana']) assert.deepEqual(egressTo(sender, 'alertmanager'), [{ protocol: 'TCP', port: 9093 }], sender);
  assert.deepEqual(egressTo('prometheus', 'loki'), [{ protocol: 'TCP', port: 3100 }]);
  assert.deepEqual(egressTo('prometheus', 'alloy'), [{ protocol: 'TCP', port: 12345 }]);
  const amEgress = policies.find((p) => p.metadata.name === 'alertmanager-egress').spec.egress;
  const outside = amEgress.find((r) => r.to?.some((t) => t.ipBlock));
  assert.deepEqual(outside.ports, [{ protocol: 'TCP', port: 443 }], 'receivers are reached over HTTPS only');
  assert.ok(outside.to[0].ipBlock.except.includes('10.0.0.0/8'), 'not into the cluster\'s private ranges');
  const alloyEgress = policies.find((p) => p.metadata.name === 'alloy-egress').spec.egress;
  const scrape = alloyEgress.find((r) => r.to?.some((t) => t.namespaceSelector));
  assert.deepEqual(scrape.ports, [{ protocol: 'TCP', port: 8081 }]);
  assert.deepEqual(scrape.to[0].namespaceSelector.matchExpressions[0].values, ['users-dev', 'users-prod']);
});

const amSet = () => byKind('StatefulSet').find((s) => s.metadata.name === 'alertmanager');

test('Alertmanager: replicas form one mesh through the headless Service; Prometheus and the Loki ruler reach every replica', () => {
  const set = amSet();
  const headless = service(set.spec.serviceName);
  assert.ok(headless, `no headless Service ${set.spec.serviceName}`);
  assert.equal(headless.spec.clusterIP, 'None');
  assert.equal(headless.spec.publishNotReadyAddresses, true, 'peers must find each other before they are ready');
  assert.ok(set.spec.replicas >= 2, 'two replicas: alerts keep flowing through a restart');
  const args = set.spec.template.spec.containers[0].args;
  const peers = args.filter((a) => a.startsWith('--cluster.peer=')).map((a) => a.slice('--cluster.peer='.length)).sort();
  assert.deepEqual(peers, [...Array(set.spec.replicas).keys()].map((i) => `alertmanager-${i}.${headless.metadata.name}.monitoring.svc:9094`));
  assert.ok(headless.spec.ports.some((p) => p.port === 9094 && p.protocol === 'UDP') && headless.spec.ports.some((p) => p.port === 9094 && (p.protocol ?? 'TCP') === 'TCP'));
  const prom = YAML.parse(fs.readFileSync(prometheusConfig, 'utf8'));
  const sd = prom.alerting.alertmanagers[0].dns_sd_configs[0];
  assert.deepEqual([sd.names, sd.type, sd.port], [[`${headless.metadata.name}.monitoring.svc`], 'A', 9093]);
  const loki = YAML.parse(byKind('ConfigMap').find((c) => c.metadata.name.startsWith('loki-config')).data['loki.yaml']);
  assert.equal(loki.ruler.enable_alertmanager_discovery, true);
  const srv = /^http:\/\/_([a-z-]+)\._tcp\.([a-z-]+)\.monitoring\.svc$/.exec(loki.ruler.alertmanager_url);
  assert.ok(srv, `ruler.alertmanager_url ${loki.ruler.alertmanager_url} is not an SRV name of a Service`);
  assert.equal(srv[2], headless.metadata.name);
  assert.ok(headless.spec.ports.some((p) => p.name === srv[1] && p.port === 9093), `the headless Service has no port named ${srv[1]} on 9093`);
});

test('Alertmanager reads receiver secrets from the optional Secret the configuration names, and its config from the ConfigMap', () => {
  const pod = amSet().spec.template.spec;
  const c = pod.containers[0];
  const mount = (name) => c.volumeMounts.find((m) => m.name === name);
  const receivers = pod.volumes.find((v) => v.name === 'receivers').secret;
  assert.deepEqual([receivers.secretName, receivers.optional], ['alertmanager-receivers', true]);
  const config = YAML.parse(fs.readFileSync(alertmanagerConfig, 'utf8'));
  const files = JSON.stringify(config.receivers).match(/"[a-z_]+_file":"[^"]+"/g).map((f) => JSON.parse(`{${f}}`)).map((o) => Object.values(o)[0]);
  for (const f of files) assert.equal(path.dirname(f), mount('receivers').mountPath, f);
  assert.ok(c.args.includes(`--config.file=${mount('config').mountPath}/alertmanager.yml`));
  for (const t of config.templates) assert.equal(path.dirname(t), mount('config').mountPath);
  const cm = byKind('ConfigMap').find((m) => m.metadata.name === pod.volumes.find((v) => v.name === 'config').configMap.name);
  assert.deepEqual(Object.keys(cm.data).sort(), ['alertmanager.yml', 'notifications.tmpl']);
});

test('Prometheus scrapes the stack (itself, Alertmanager, Loki, Alloy) through Services that exist', () => {
  const prom = YAML.parse(fs.readFileSync(prometheusConfig, 'utf8'));
  const jobs = Object.fromEntries(prom.scrape_configs.map((j) => [j.job_name, j]));
  assert.deepEqual(Object.keys(jobs).sort(), ['alertmanager', 'alloy', 'loki', 'prometheus']);
  for (const j of Object.values(jobs)) {
    for (const sd of j.dns_sd_configs ?? []) {
      const name = sd.names[0].split('.')[0];
      assert.ok(service(name)?.spec.ports.some((p) => p.port === sd.port), `${j.job_name}: no Service ${name} with port ${sd.port}`);
      assert.equal(service(name).spec.clusterIP, 'None', `${j.job_name}: ${name} must be headless to list every pod`);
    }
  }
  const loki = YAML.parse(byKind('ConfigMap').find((c) => c.metadata.name.startsWith('loki-config')).data['loki.yaml']);
  const lokiSet = byKind('StatefulSet').find((s) => s.metadata.name === 'loki').spec.template.spec;
  const rulesMount = lokiSet.containers[0].volumeMounts.find((m) => m.name === 'rules');
  assert.equal(rulesMount.mountPath, `${loki.common.storage.filesystem.rules_directory}/fake`, 'the ruler reads <rules_directory>/<tenant>; the tenant is "fake" with auth disabled');
  assert.equal(loki.auth_enabled, false);
});
