// Alertmanager's configuration as data, what each alert must reach, and copies of the configuration for
// the tools of this machine: Debian's amtool (0.25) and a local Alertmanager whose receivers are webhooks.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { alertmanagerConfig, alertmanagerDir } from './paths.mjs';

export function loadAlertmanagerConfig(file = alertmanagerConfig) {
  return YAML.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Who must hear of an alert, stated independently of the routing tree (which amtool then has to agree
 * with): the Watchdog feeds the dead man's switch; dev never pages; critical pages; warning goes to chat;
 * anything else stays in the UI (default receiver).
 */
export function intendedReceiver(labels) {
  if (labels.alertname === 'Watchdog') return 'deadmansswitch';
  if (labels.namespace === 'users-dev') return 'chat';
  if (labels.severity === 'critical') return 'pager';
  if (labels.severity === 'warning') return 'chat';
  return 'default';
}

// Namespaces an alert without a fixed namespace label can carry: those of the service.
export const SERVICE_NAMESPACES = ['users-prod', 'users-dev'];

/**
 * One route case per alert and namespace it can fire in: { alert, source, labels, receiver }.
 * alerts: [{ alert, labels, source }] from the Prometheus and Loki rule files.
 */
export function routeCases(alerts) {
  return alerts.flatMap((a) => {
    const namespaces = a.labels?.namespace ? [a.labels.namespace] : SERVICE_NAMESPACES;
    return namespaces.map((namespace) => {
      const labels = { ...a.labels, alertname: a.alert, namespace };
      return { alert: a.alert, source: a.source, labels, receiver: intendedReceiver(labels) };
    });
  });
}

/** amtool's version as [major, minor, patch]; throws with the install hint if amtool is missing. */
export function amtoolVersion() {
  let out;
  try {
    out = execFileSync('amtool', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error('amtool not found: apt-get install prometheus-alertmanager');
    out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  const m = /version (\d+)\.(\d+)\.(\d+)/.exec(out);
  if (!m) throw new Error(`cannot read amtool's version from: ${out}`);
  return m.slice(1).map(Number);
}

const atLeast = (v, [a, b]) => v[0] > a || (v[0] === a && v[1] >= b);

/**
 * The configuration as a local tool can load it: templates from this repository instead of the pod's
 * mount, and, for an Alertmanager older than 0.26 (Debian's 0.25), webhook_configs.url_file (0.26+, used
 * by the image) replaced by a url. Returns { config, substitutions } with every change spelled out.
 */
export function localConfig(config, version) {
  const copy = structuredClone(config);
  const substitutions = [];
  copy.templates = (copy.templates ?? []).map((t) => {
    const local = path.join(alertmanagerDir, path.basename(t));
    substitutions.push(`templates: ${t} -> ${local}`);
    return local;
  });
  if (!atLeast(version, [0, 26])) {
    for (const r of copy.receivers ?? []) {
      for (const w of r.webhook_configs ?? []) {
        if (!w.url_file) continue;
        substitutions.push(`receiver ${r.name}: webhook url_file (Alertmanager 0.26+) -> url, for amtool ${version.join('.')}`);
        delete w.url_file;
        w.url = 'http://127.0.0.1:9/url-file-stand-in';
      }
    }
  }
  return { config: copy, substitutions };
}

/**
 * The real routing tree, inhibitions and templates with every receiver replaced by a webhook to
 * baseUrl/<receiver name> (resolved notifications included), and the tree's waits shortened for a test.
 */
export function webhookConfig(config, baseUrl, { groupWait = '1s', groupInterval = '2s' } = {}) {
  const { config: copy } = localConfig(config, [0, 26, 0]);
  copy.receivers = copy.receivers.map((r) => ({
    name: r.name,
    webhook_configs: [{ url: `${baseUrl}/${r.name}`, send_resolved: true, max_alerts: 0 }],
  }));
  const shorten = (route) => {
    if (route.group_wait !== undefined || route === copy.route) route.group_wait = groupWait;
    if (route.group_interval !== undefined || route === copy.route) route.group_interval = groupInterval;
    for (const child of route.routes ?? []) shorten(child);
  };
  shorten(copy.route);
  return copy;
}

export function writeYaml(file, doc) {
  fs.writeFileSync(file, YAML.stringify(doc));
  return file;
}
