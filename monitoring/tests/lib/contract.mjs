// The contract between the service's real output and what dashboards and rules ask of it:
// every metric, label and value a PromQL query names exists in the captured metrics.txt (or is
// added by the scrape), and every LogQL query finds lines in the captured logs.jsonl with every
// field it reads.
import { analyzePromQL, resultLabels } from './promql.mjs';
import { analyzeLogQL, runPipeline, filterLabels, templateFields, toRegExp } from './logql.mjs';
import { substituteVariables, VARIABLE_MARKER } from './grafana-vars.mjs';
import { parseLabelValues } from './dashboards.mjs';

// The workload's name (docs/architecture.md, "Kubernetes": Names); Alloy turns app.kubernetes.io/name into job (metrics) and app (logs).
export const APP = 'users-api';

// Series Prometheus makes itself for every scrape target; they carry only the target labels.
const SCRAPE_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling', 'scrape_series_added']);

// Series Prometheus makes of its alerting rules: alertname, alertstate, and the labels of the alerts
// (context.alertLabels: the rules' labels and groupings).
const ALERT_SERIES = 'ALERTS';

const hasVariable = (v) => v.includes(VARIABLE_MARKER);

/**
 * context: { samples (parseExposition), targetLabels (Set), recorded (Map name -> expr),
 *            allowances: { promqlRegex: [{label, regex, reason}], emptyLogQueries: [{where, reason}],
 *                          exporters: [{job, source, reason, metrics: {name: [label, ...]}}] } }
 */
export function promqlContract(expr, where, ctx, { legendFormat, annotations } = {}) {
  const problems = [];
  const query = substituteVariables(expr);
  const { selectors, labelUses } = analyzePromQL(query);
  const labelsOf = (metric) => labelsOfMetric(metric, ctx);

  for (const s of selectors) {
    if (!s.metric) {
      problems.push(`${where}: a selector without a metric name ({${s.matchers.map((m) => m.label).join(', ')}}) cannot be checked; name the metric`);
      continue;
    }
    const known = knownMetric(s.metric, ctx);
    if (!known) {
      problems.push(`${where}: metric ${s.metric} is not in the service's output (metrics.txt), not a recording rule and not a scrape series`);
      continue;
    }
    for (const m of s.matchers) {
      const available = labelsOf(s.metric);
      if (!available.has(m.label)) {
        problems.push(`${where}: ${s.metric} has no label "${m.label}" (it has: ${[...available].sort().join(', ')})`);
        continue;
      }
      if (hasVariable(m.value)) continue;
      problems.push(...matcherValueProblems(s.metric, m, where, ctx));
    }
  }
  for (const use of labelUses) {
    if (!use.metrics.some((metric) => labelsOf(metric).has(use.label))) {
      problems.push(`${where}: "${use.where}" names label "${use.label}", which none of ${[...new Set(use.metrics)].join(', ')} has`);
    }
  }
  const result = resultLabels(query, (metric) => [...labelsOf(metric)]);
  if (legendFormat && legendFormat !== '__auto') {
    for (const m of legendFormat.matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)) {
      if (!result.has(m[1])) problems.push(`${where}: legend "${legendFormat}" uses {{${m[1]}}}, which the query's result does not carry (it has: ${[...result].sort().join(', ') || 'no labels'})`);
    }
  }
  for (const [key, template] of Object.entries(annotations ?? {})) {
    for (const m of String(template).matchAll(/\$labels\.([A-Za-z_]\w*)/g)) {
      if (!result.has(m[1])) problems.push(`${where}: annotation ${key} uses $labels.${m[1]}, which the alert's series do not carry (they have: ${[...result].sort().join(', ')})`);
    }
  }
  return problems;
}

function knownMetric(metric, ctx) {
  return ctx.samples.has(metric) || ctx.recorded.has(metric) || SCRAPE_SERIES.has(metric) || Boolean(exporterOf(metric, ctx))
    || (metric === ALERT_SERIES && Boolean(ctx.alertLabels));
}

/** The other exporter (not the service) that emits a metric, as contract-allowances.yaml declares it. */
export function exporterOf(metric, ctx) {
  if (ctx.samples.has(metric)) return undefined;
  return (ctx.allowances.exporters ?? []).find((e) => Object.hasOwn(e.metrics ?? {}, metric));
}

function labelsOfMetric(metric, ctx) {
  if (ctx.samples.has(metric)) return new Set([...ctx.samples.get(metric).keys(), ...ctx.targetLabels]);
  const exporter = exporterOf(metric, ctx);
  if (exporter) return new Set([...exporter.metrics[metric], ...ctx.targetLabels]);
  if (ctx.recorded.has(metric)) {
    const seen = ctx.resolving ?? new Set();
    if (seen.has(metric)) return new Set();
    const inner = { ...ctx, resolving: new Set([...seen, metric]) };
    return resultLabels(ctx.recorded.get(metric), (m) => [...labelsOfMetric(m, inner)]);
  }
  if (SCRAPE_SERIES.has(metric)) return new Set(ctx.targetLabels);
  if (metric === ALERT_SERIES && ctx.alertLabels) return new Set(['alertname', 'alertstate', ...ctx.alertLabels]);
  return new Set();
}

function matcherValueProblems(metric, m, where, ctx) {
  if (m.label === 'job') {
    // The service's metrics come from job users-api; another exporter's from its own job; scrape series from either.
    const exporter = exporterOf(metric, ctx);
    const jobs = exporter ? [exporter.job] : SCRAPE_SERIES.has(metric) ? [APP, ...(ctx.allowances.exporters ?? []).map((e) => e.job)] : [APP];
    const ok = jobs.some((job) => (m.op === '=' ? m.value === job : m.op === '=~' ? toRegExp(m.value, true).test(job) : true));
    return ok ? [] : [`${where}: job is "${jobs.join('" or "')}" (Alloy sets it from app.kubernetes.io/name); ${m.label}${m.op}"${m.value}" selects nothing`];
  }
  if (ctx.targetLabels.has(m.label) || !ctx.samples.has(metric)) return [];
  const values = ctx.samples.get(metric).get(m.label) ?? new Set();
  if (m.op === '=') {
    return values.has(m.value) ? [] : [`${where}: no ${metric} sample has ${m.label}="${m.value}" (captured values: ${[...values].sort().join(', ')})`];
  }
  if (m.op === '=~') {
    let re;
    try {
      re = toRegExp(m.value, true);
    } catch (e) {
      return [`${where}: ${m.label}=~"${m.value}" is not a valid regular expression: ${e.message}`];
    }
    if ([...values].some((v) => re.test(v))) return [];
    if (ctx.allowances.promqlRegex.some((a) => a.label === m.label && a.regex === m.value)) return [];
    return [`${where}: ${m.label}=~"${m.value}" matches no captured ${metric} sample (values: ${[...values].sort().join(', ')}); `
      + 'drive such a request in the contract capture, or list the matcher with its reason in monitoring/tests/contract-allowances.yaml'];
  }
  return [];
}

/** label_values(metric{...}, label) of a dashboard variable. */
export function variableContract(expr, where, ctx) {
  const lv = parseLabelValues(expr);
  if (!lv) return promqlContract(expr, where, ctx);
  if (!lv.selector) return [`${where}: label_values(${lv.label}) without a metric cannot be checked; name the metric`];
  const problems = promqlContract(lv.selector, where, ctx);
  const { selectors } = analyzePromQL(substituteVariables(lv.selector));
  const metric = selectors[0]?.metric;
  if (metric && !labelsOfMetric(metric, ctx).has(lv.label)) problems.push(`${where}: ${metric} has no label "${lv.label}"`);
  return problems;
}

/**
 * Log entries as Loki would store them for the captured lines: stream labels and structured
 * metadata as Alloy's pipeline sets them (namespace and container are the cluster's; any value).
 */
export function lokiEntries(lines, loki) {
  return lines.map((line) => {
    const json = JSON.parse(line);
    const fromPod = { namespace: 'users-prod', app: APP, container: APP };
    const stream = {};
    for (const l of loki.stream) {
      if (l in fromPod) stream[l] = fromPod[l];
      else if (json[l] !== undefined) stream[l] = String(json[l]);
    }
    const metadata = {};
    for (const l of loki.metadata) {
      if (l === 'pod') metadata.pod = `${APP}-0`;
      else if (json[l] !== undefined) metadata[l] = String(json[l]);
    }
    return { line, stream, metadata };
  });
}

export function logqlContract(expr, where, entries, loki, ctx) {
  const problems = [];
  const query = substituteVariables(expr, { filter: '' });
  const { pipelines, groupings } = analyzeLogQL(query);
  const isVariable = (v) => hasVariable(v);
  const allowedEmpty = ctx.allowances.emptyLogQueries.some((a) => a.where === where);
  for (const p of pipelines) {
    for (const m of p.selector) {
      if (!loki.stream.has(m.label)) {
        problems.push(`${where}: {${m.label}} is not a Loki stream label (Alloy sets: ${[...loki.stream].join(', ')}); `
          + (loki.metadata.has(m.label) ? 'it is structured metadata: filter it after the selector' : 'read it with | json'));
      }
    }
    const otherParsers = p.stages.filter((st) => st.kind === 'parser' && st.name !== 'json');
    for (const st of otherParsers) problems.push(`${where}: the service logs JSON; the ${st.name} parser finds nothing`);
    if (otherParsers.length) continue;
    let passed;
    try {
      passed = runPipeline(p, entries, isVariable);
    } catch (e) {
      problems.push(`${where}: ${e.message} is not supported by the contract check (monitoring/tests/lib/logql.mjs)`);
      continue;
    }
    if (!passed.length) {
      if (!allowedEmpty) {
        problems.push(`${where}: no captured log line passes this query, so the panel would show "No data"; `
          + 'check field names and values against logs.jsonl, or list the panel with its reason in monitoring/tests/contract-allowances.yaml');
      }
      continue;
    }
    const known = new Set(entries.flatMap((e) => Object.keys(runPipeline({ selector: [], stages: [{ kind: 'parser', name: 'json' }] }, [e])[0])));
    for (const st of p.stages.filter((s) => s.kind === 'labelFilter')) {
      for (const l of filterLabels(st.tree)) {
        if (!known.has(l)) problems.push(`${where}: filter "${st.text}" reads "${l}", a field no captured line has`);
      }
    }
    const fields = [
      ...p.stages.filter((s) => s.kind === 'lineFormat').flatMap((s) => [...templateFields(s.template)].map((f) => [f, 'line_format'])),
      ...groupings.filter((g) => !g.without).flatMap((g) => g.labels.map((l) => [l, 'by (...)'])),
    ];
    for (const [field, use] of fields) {
      const missing = passed.filter((labels) => labels[field] === undefined).length;
      if (missing) problems.push(`${where}: ${use} uses "${field}", missing from ${missing} of the ${passed.length} captured lines the query selects`);
    }
  }
  return problems;
}
