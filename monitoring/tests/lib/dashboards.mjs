// Reads dashboard JSON files and lists every query in them with where it sits.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export function loadDashboards(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const file = path.join(dir, f);
    return { file, name: f, json: JSON.parse(fs.readFileSync(file, 'utf8')) };
  });
}

/** Panels including those nested in rows. */
export function panelsOf(dashboard) {
  const out = [];
  for (const p of dashboard.panels ?? []) {
    out.push(p);
    for (const nested of p.panels ?? []) out.push(nested);
  }
  return out;
}

/**
 * Every query: { where, datasource: {type, uid}, language: 'promql'|'logql', expr, legendFormat?, kind }
 * kind is 'panel' or 'variable'. Panel targets inherit the panel's data source.
 */
export function queriesOf(dashboard) {
  const out = [];
  for (const p of panelsOf(dashboard)) {
    for (const t of p.targets ?? []) {
      const ds = t.datasource ?? p.datasource;
      out.push({
        kind: 'panel', where: `panel "${p.title}" target ${t.refId}`, panel: p.title, datasource: ds,
        language: languageOf(ds), expr: t.expr, legendFormat: t.legendFormat, target: t,
      });
    }
  }
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const lang = languageOf(v.datasource);
    const q = v.query;
    if (lang === 'promql') {
      const expr = typeof q === 'string' ? q : q?.query;
      out.push({ kind: 'variable', where: `variable "${v.name}"`, datasource: v.datasource, language: 'promql-variable', expr });
    } else if (lang === 'logql') {
      const stream = typeof q === 'object' ? q.stream : undefined;
      out.push({ kind: 'variable', where: `variable "${v.name}"`, datasource: v.datasource, language: 'logql-variable', expr: stream, label: q?.label });
    }
  }
  return out;
}

export function languageOf(ds) {
  if (ds?.type === 'prometheus') return 'promql';
  if (ds?.type === 'loki') return 'logql';
  return undefined;
}

/** Every data source reference in a dashboard: panels, targets, variables, annotations. */
export function datasourceRefs(dashboard) {
  const refs = [];
  for (const p of panelsOf(dashboard)) {
    if (p.datasource) refs.push({ where: `panel "${p.title}"`, ref: p.datasource });
    for (const t of p.targets ?? []) if (t.datasource) refs.push({ where: `panel "${p.title}" target ${t.refId}`, ref: t.datasource });
  }
  for (const v of dashboard.templating?.list ?? []) if (v.datasource) refs.push({ where: `variable "${v.name}"`, ref: v.datasource });
  for (const a of dashboard.annotations?.list ?? []) if (a.datasource) refs.push({ where: `annotation "${a.name}"`, ref: a.datasource, builtIn: a.builtIn === 1 });
  return refs;
}

/** Provisioned data sources: uid -> type. */
export function provisionedDatasources(file) {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  const map = new Map();
  for (const ds of doc.datasources ?? []) map.set(ds.uid, ds.type);
  return map;
}

/**
 * label_values(metric{...}, label) or label_values(label) of a Prometheus variable, as
 * { selector: 'metric{...}' | undefined, label }.
 */
export function parseLabelValues(expr) {
  const m = /^\s*label_values\(\s*(?:(.*),\s*)?([A-Za-z_]\w*)\s*\)\s*$/s.exec(expr ?? '');
  return m ? { selector: m[1], label: m[2] } : undefined;
}
