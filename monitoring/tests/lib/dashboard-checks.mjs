// Checks of dashboards that need no captured service output. Each returns a list of problems.
import { panelsOf, queriesOf, datasourceRefs, parseLabelValues } from './dashboards.mjs';
import { promqlSyntaxErrors } from './promql.mjs';
import { logqlSyntaxErrors } from './logql.mjs';
import { substituteVariables, variableNames, isBuiltinVariable } from './grafana-vars.mjs';

/** Every query parses as PromQL or LogQL once Grafana's variables are replaced. */
export function querySyntaxProblems(dashboard) {
  const problems = [];
  for (const q of queriesOf(dashboard)) {
    if (q.language === undefined) {
      problems.push(`${q.where}: data source ${JSON.stringify(q.datasource)} is neither prometheus nor loki`);
      continue;
    }
    if (typeof q.expr !== 'string' || !q.expr.trim()) {
      problems.push(`${q.where}: empty query`);
      continue;
    }
    const expr = substituteVariables(q.expr);
    let errors;
    if (q.language === 'promql') errors = promqlSyntaxErrors(expr);
    else if (q.language === 'logql') errors = logqlSyntaxErrors(expr);
    else if (q.language === 'promql-variable') {
      const lv = parseLabelValues(expr);
      errors = lv ? (lv.selector ? promqlSyntaxErrors(lv.selector) : []) : promqlSyntaxErrors(expr);
    } else errors = logqlSyntaxErrors(expr);
    for (const e of errors) problems.push(`${q.where}: ${e}\n    query: ${q.expr}`);
  }
  return problems;
}

/** Every data source reference names a provisioned uid of the same type. */
export function datasourceProblems(dashboard, provisioned) {
  const problems = [];
  for (const { where, ref, builtIn } of datasourceRefs(dashboard)) {
    if (builtIn && ref.uid === '-- Grafana --' && ref.type === 'grafana') continue;
    if (typeof ref !== 'object' || !ref.uid) {
      problems.push(`${where}: data source must be referenced by uid, got ${JSON.stringify(ref)}`);
    } else if (!provisioned.has(ref.uid)) {
      problems.push(`${where}: data source uid "${ref.uid}" is not provisioned (provisioned: ${[...provisioned.keys()].join(', ')})`);
    } else if (ref.type !== provisioned.get(ref.uid)) {
      problems.push(`${where}: data source uid "${ref.uid}" is a ${provisioned.get(ref.uid)}, not ${ref.type}`);
    }
  }
  return problems;
}

/** Every $variable a query uses is defined by the dashboard or built into Grafana. */
export function variableProblems(dashboard) {
  const defined = new Set((dashboard.templating?.list ?? []).map((v) => v.name));
  const problems = [];
  for (const q of queriesOf(dashboard)) {
    for (const name of variableNames(q.expr ?? '')) {
      if (!isBuiltinVariable(name) && !defined.has(name)) problems.push(`${q.where}: uses undefined variable $${name}`);
    }
  }
  return problems;
}

/** Layout and identity: unique panel ids, panels within the 24-column grid, a uid and a title. */
export function structureProblems(dashboard) {
  const problems = [];
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(dashboard.uid ?? '')) problems.push(`uid "${dashboard.uid}" must be 1-40 characters of [a-zA-Z0-9_-]`);
  if (!dashboard.title) problems.push('dashboard has no title');
  const ids = new Set();
  for (const p of panelsOf(dashboard)) {
    if (ids.has(p.id)) problems.push(`panel "${p.title}": id ${p.id} is used twice`);
    ids.add(p.id);
    const g = p.gridPos;
    if (!g || g.x < 0 || g.w < 1 || g.x + g.w > 24 || g.h < 1) problems.push(`panel "${p.title}": gridPos ${JSON.stringify(g)} is outside the 24-column grid`);
    if (p.type !== 'row' && !p.title) problems.push(`panel ${p.id} has no title`);
    if (p.type !== 'row' && !(p.targets ?? []).length) problems.push(`panel "${p.title}" has no query`);
  }
  return problems;
}
