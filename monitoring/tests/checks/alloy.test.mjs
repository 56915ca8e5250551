// Alloy's configuration keeps Loki's labels low-cardinality and scrapes only what pods opt into.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { alloyConfig } from '../lib/paths.mjs';
import { blocks, lokiLabels, scrapeTargetLabels } from '../lib/alloy.mjs';

const config = fs.readFileSync(alloyConfig, 'utf8');

function body(source, header) {
  return blocks(source).find((b) => b.header === header)?.body ?? '';
}

function rules(source, header) {
  return blocks(body(source, header)).filter((b) => b.header === 'rule').map((b) => b.body.replace(/\s+/g, ' ').trim());
}

test('Loki stream labels are exactly namespace, app, container and level', () => {
  assert.deepEqual([...lokiLabels(config).stream].sort(), ['app', 'container', 'level', 'namespace']);
});

test('pod and trace_id travel as structured metadata', () => {
  assert.deepEqual([...lokiLabels(config).metadata].sort(), ['pod', 'trace_id']);
});

test('the label check notices a high-cardinality label leaking into the streams', () => {
  const leaked = config.replace('values = ["pod"]', 'values = []');
  assert.ok(lokiLabels(leaked).stream.has('pod'));
  const extra = config.replace('level = "",', 'level = "",\n      request_id = "",');
  assert.ok(lokiLabels(extra).stream.has('request_id'));
});

test('app comes from app.kubernetes.io/name, level from the JSON line', () => {
  assert.ok(rules(config, 'discovery.relabel "pod_logs"').some((r) => r.includes('"__meta_kubernetes_pod_label_app_kubernetes_io_name"') && r.includes('target_label = "app"')));
  assert.match(body(body(config, 'loki.process "pods"'), 'stage.json'), /level\s*=\s*"level"/);
});

test('logs are tailed through the API server, not from the node', () => {
  assert.ok(blocks(config).some((b) => b.header === 'loki.source.kubernetes "pods"'));
  assert.doesNotMatch(config.replace(/\/\/[^\n]*/g, ''), /loki\.source\.file|hostPath|\/var\/log\/pods/);
});

test('only pods annotated prometheus.io/scrape "true" are scraped, on the annotated port and path', () => {
  const r = rules(config, 'discovery.relabel "annotated_pods"');
  assert.ok(r.some((x) => x.includes('__meta_kubernetes_pod_annotation_prometheus_io_scrape') && x.includes('regex = "true"') && x.includes('action = "keep"')));
  assert.ok(r.some((x) => x.includes('__meta_kubernetes_pod_container_port_number') && x.includes('__meta_kubernetes_pod_annotation_prometheus_io_port') && x.includes('keepequal')));
  assert.ok(r.some((x) => x.includes('__meta_kubernetes_pod_annotation_prometheus_io_path') && x.includes('__metrics_path__')));
  assert.ok(r.some((x) => x.includes('__meta_kubernetes_pod_label_app_kubernetes_io_name') && x.includes('target_label = "job"')));
});

test('scraped series carry job, namespace, pod, container and instance', () => {
  assert.deepEqual([...scrapeTargetLabels(config)].sort(), ['container', 'instance', 'job', 'namespace', 'pod']);
});

test('discovery watches only the users-api namespaces', () => {
  assert.match(body(config, 'discovery.kubernetes "pods"'), /names\s*=\s*\["users-dev",\s*"users-prod"\]/);
});
