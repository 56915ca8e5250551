// Dashboards: Grafana's schema, query syntax, data source uids, variables, layout, provisioning.
// Each check also runs on a broken copy of a real dashboard to prove it catches the fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { dashboardsDir, datasourcesFile, monitoringDir, repoDir } from '../lib/paths.mjs';
import { loadDashboards, provisionedDatasources, panelsOf } from '../lib/dashboards.mjs';
import { typeCheckDashboards, schemaVersionOfPackage } from '../lib/schema.mjs';
import { querySyntaxProblems, datasourceProblems, variableProblems, structureProblems } from '../lib/dashboard-checks.mjs';

const dashboards = loadDashboards(dashboardsDir);
const provisioned = provisionedDatasources(datasourcesFile);

function mutated(name, change) {
  const d = structuredClone(dashboards.find((x) => x.name === name));
  change(d.json);
  return d;
}

function firstPanel(json, type) {
  return panelsOf(json).find((p) => p.type === type);
}

test('the three dashboards of the issue exist', () => {
  assert.deepEqual(dashboards.map((d) => d.json.uid).sort(), ['users-api-logs', 'users-api-overview', 'users-api-security']);
});

test('dashboards match Grafana\'s dashboard schema and their panels\' option types', () => {
  assert.deepEqual(typeCheckDashboards(dashboards), []);
});

test('the schema is the one of the Grafana version deployed', () => {
  const deployment = fs.readFileSync(path.join(monitoringDir, 'grafana', 'deployment.yaml'), 'utf8');
  const tag = /image:\s*\S*grafana\/grafana:(\S+)/.exec(deployment)?.[1];
  assert.equal(schemaVersionOfPackage(), tag, 'pin @grafana/schema in monitoring/tests/package.json to the Grafana image tag');
});

test('the schema check rejects misspelt keys, wrong types and unknown option values', () => {
  const broken = [
    mutated('users-api-overview.json', (j) => { j.refresh_rate = j.refresh; }),
    mutated('users-api-overview.json', (j) => { j.schemaVersion = '41'; }),
    mutated('users-api-overview.json', (j) => { firstPanel(j, 'timeseries').gridPoss = { h: 1, w: 1, x: 0, y: 0 }; }),
    mutated('users-api-overview.json', (j) => { firstPanel(j, 'timeseries').options.legend.displayMode = 'lst'; }),
    mutated('users-api-overview.json', (j) => { firstPanel(j, 'timeseries').targets[0].legendFromat = '{{route}}'; }),
    mutated('users-api-logs.json', (j) => { firstPanel(j, 'logs').options.wrapLogMessages = true; }),
    mutated('users-api-logs.json', (j) => { firstPanel(j, 'logs').targets[0].maxLines = 'many'; }),
    mutated('users-api-security.json', (j) => { firstPanel(j, 'table').fieldConfig.defaults.unitt = 'short'; }),
  ];
  for (const d of broken) {
    assert.equal(typeCheckDashboards([d]).length, 1, `not caught: ${JSON.stringify(d.json).length} bytes`);
  }
  const unknownType = mutated('users-api-overview.json', (j) => { firstPanel(j, 'stat').type = 'statt'; });
  assert.match(typeCheckDashboards([unknownType]).join('\n'), /type "statt" has no schema mapping/);
});

test('every PromQL and LogQL query parses', () => {
  for (const d of dashboards) assert.deepEqual(querySyntaxProblems(d.json), [], d.name);
});

test('the syntax check rejects a broken PromQL and a broken LogQL query', () => {
  const prom = mutated('users-api-overview.json', (j) => { firstPanel(j, 'timeseries').targets[0].expr = 'sum by (route) (rate(http_request_duration_seconds_count[5m])'; });
  assert.match(querySyntaxProblems(prom.json).join('\n'), /syntax error/);
  const loki = mutated('users-api-logs.json', (j) => { firstPanel(j, 'logs').targets[0].expr = '{app="users-api"} | json | event="http_request'; });
  assert.match(querySyntaxProblems(loki.json).join('\n'), /syntax error/);
  const variable = mutated('users-api-overview.json', (j) => { j.templating.list[0].query.query = 'label_values(users_api_build_info{job="users-api", namespace)'; });
  assert.match(querySyntaxProblems(variable.json).join('\n'), /syntax error/);
});

test('every data source a dashboard names is provisioned, with the same type', () => {
  assert.deepEqual([...provisioned.entries()].sort(), [['alertmanager', 'alertmanager'], ['loki', 'loki'], ['prometheus', 'prometheus']]);
  for (const d of dashboards) assert.deepEqual(datasourceProblems(d.json, provisioned), [], d.name);
});

test('the data source check rejects an unknown uid, a wrong type and a reference by name', () => {
  const unknown = mutated('users-api-overview.json', (j) => { firstPanel(j, 'timeseries').targets[0].datasource = { type: 'prometheus', uid: 'prom' }; });
  assert.match(datasourceProblems(unknown.json, provisioned).join('\n'), /uid "prom" is not provisioned/);
  const wrongType = mutated('users-api-logs.json', (j) => { firstPanel(j, 'logs').datasource = { type: 'prometheus', uid: 'loki' }; });
  assert.match(datasourceProblems(wrongType.json, provisioned).join('\n'), /is a loki, not prometheus/);
  const byName = mutated('users-api-security.json', (j) => { j.templating.list[0].datasource = 'Prometheus'; });
  assert.match(datasourceProblems(byName.json, provisioned).join('\n'), /must be referenced by uid/);
});

test('every variable a query uses is defined', () => {
  for (const d of dashboards) assert.deepEqual(variableProblems(d.json), [], d.name);
  const undefinedVar = mutated('users-api-logs.json', (j) => { firstPanel(j, 'logs').targets[0].expr = '{namespace=~"$ns", app="users-api"}'; });
  assert.match(variableProblems(undefinedVar.json).join('\n'), /undefined variable \$ns/);
});

test('panels have unique ids, fit the grid, have a title and a query', () => {
  for (const d of dashboards) assert.deepEqual(structureProblems(d.json), [], d.name);
  const dup = mutated('users-api-overview.json', (j) => { const ps = panelsOf(j); ps[2].id = ps[1].id; });
  assert.match(structureProblems(dup.json).join('\n'), /used twice/);
  const wide = mutated('users-api-overview.json', (j) => { firstPanel(j, 'timeseries').gridPos.w = 30; });
  assert.match(structureProblems(wide.json).join('\n'), /outside the 24-column grid/);
});

test('every dashboard file is provisioned through the kustomization, and nothing else', () => {
  const k = YAML.parse(fs.readFileSync(path.join(monitoringDir, 'grafana', 'kustomization.yaml'), 'utf8'));
  const files = k.configMapGenerator.flatMap((g) => g.files).filter((f) => f.startsWith('dashboards/')).map((f) => path.basename(f)).sort();
  assert.deepEqual(files, dashboards.map((d) => d.name).sort());
});

test('dashboard uids are unique and read-only in the UI', () => {
  const uids = dashboards.map((d) => d.json.uid);
  assert.equal(new Set(uids).size, uids.length);
  for (const d of dashboards) assert.equal(d.json.editable, false, `${d.name} must be editable: false (provisioned from git)`);
});

// One list of scanner signatures: the service's suspicious_request detection reads
// service/src/main/resources/scanner-user-agents.txt, and the security dashboard's scanner panel must
// select exactly those user agents, no more and no fewer.
const scannerList = path.join(repoDir, 'service', 'src', 'main', 'resources', 'scanner-user-agents.txt');

function scannerAgents() {
  return fs.readFileSync(scannerList, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function scannerRegexProblems(json) {
  const exprs = panelsOf(json).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''))
    .filter((e) => /user_agent\s*=~/.test(e));
  if (exprs.length === 0) return ['no panel selects user_agent with =~'];
  const problems = [];
  for (const expr of exprs) {
    const m = /user_agent\s*=~\s*"\(\?i\)\.\*\(([^)"]*)\)\.\*"/.exec(expr);
    if (!m) {
      problems.push(`user_agent selector is not "(?i).*(a|b|...).*": ${expr}`);
      continue;
    }
    const inDashboard = m[1].split('|');
    const listed = scannerAgents();
    const missing = listed.filter((a) => !inDashboard.includes(a));
    const extra = inDashboard.filter((a) => !listed.includes(a));
    if (missing.length) problems.push(`missing from the dashboard: ${missing.join(', ')}`);
    if (extra.length) problems.push(`not in scanner-user-agents.txt: ${extra.join(', ')}`);
  }
  return problems;
}

test('the scanner panel selects exactly the user agents the service flags (scanner-user-agents.txt)', () => {
  const agents = scannerAgents();
  assert.ok(agents.length > 10, `${scannerList} lists ${agents.length} user agents`);
  for (const a of agents) assert.match(a, /^[a-z0-9/ -]+$/, `${a}: plain lower case, no regex syntax`);
  const security = dashboards.find((d) => d.json.uid === 'users-api-security');
  assert.deepEqual(scannerRegexProblems(security.json), []);
});

test('the scanner check catches a signature the service does not know and one the dashboard lacks', () => {
  const broken = mutated('users-api-security.json', (json) => {
    for (const p of panelsOf(json)) {
      for (const t of p.targets ?? []) {
        if (/user_agent\s*=~/.test(t.expr ?? '')) t.expr = t.expr.replace('sqlmap|', '').replace('burp', 'burp|curl');
      }
    }
  });
  const problems = scannerRegexProblems(broken.json);
  assert.ok(problems.some((p) => p.includes('missing from the dashboard: sqlmap')), problems.join('; '));
  assert.ok(problems.some((p) => p.includes('not in scanner-user-agents.txt: curl')), problems.join('; '));
});
