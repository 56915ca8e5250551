// The rendered stack wires together: Services, ports and URLs agree; images are pinned and match
// their version labels and the tools we test with; no credential is in git.
// Pod Security and the other repository-wide rules are the policy module's job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { monitoringDir, alloyConfig, datasourcesFile, testsDir } from '../lib/paths.mjs';

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
  assert.deepEqual(ingressFrom('loki').sort(), ['alloy', 'grafana']);
  assert.deepEqual(ingressFrom('prometheus').sort(), ['alloy', 'grafana']);
  assert.deepEqual(ingressFrom('grafana'), []);
  const alloyEgress = policies.find((p) => p.metadata.name === 'alloy-egress').spec.egress;
  const scrape = alloyEgress.find((r) => r.to?.some((t) => t.namespaceSelector));
  assert.deepEqual(scrape.ports, [{ protocol: 'TCP', port: 8081 }]);
  assert.deepEqual(scrape.to[0].namespaceSelector.matchExpressions[0].values, ['users-dev', 'users-prod']);
});
