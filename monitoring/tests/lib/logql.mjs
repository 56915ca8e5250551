// LogQL on Grafana's lezer grammar: syntax errors, the log pipeline of a query, and a small
// evaluator of that pipeline over real log lines, so a query that could only ever return nothing
// (a misspelt field, a value the service never logs) is caught before it reaches a dashboard.
import { parser } from '@grafana/lezer-logql';
import { child, children, descendants, syntaxErrors, text } from './syntax-tree.mjs';

function unquote(literal) {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  return JSON.parse(literal);
}

export function logqlSyntaxErrors(expr) {
  return syntaxErrors(parser, expr);
}

class Unsupported extends Error {}

/**
 * The log queries inside an expression (one per log selector), each as
 * { selector: [{label, op, value}], stages: [...] }, and the labels of every by/without grouping.
 */
export function analyzeLogQL(expr) {
  const root = parser.parse(expr).topNode;
  const pipelines = [];
  for (const sel of descendants(root, 'Selector')) {
    const selector = descendants(sel, 'Matcher').map((m) => matcher(expr, m));
    const stages = [];
    const owner = sel.parent;
    const pipeline = child(owner, 'PipelineExpr');
    if (pipeline) for (const st of descendants(pipeline, 'PipelineStage')) stages.push(stage(expr, st));
    pipelines.push({ selector, stages });
  }
  const groupings = descendants(root, 'Grouping').map((g) => ({
    without: Boolean(child(g, 'Without')),
    labels: descendants(g, 'Identifier').map((i) => text(expr, i)),
  }));
  return { pipelines, groupings };
}

function matcher(src, m) {
  const opNode = children(m).find((c) => ['Eq', 'Neq', 'Re', 'Nre'].includes(c.type.name));
  return {
    label: text(src, child(m, 'Identifier')),
    op: text(src, opNode),
    value: unquote(text(src, child(m, 'String'))),
  };
}

function stage(src, st) {
  const lineFilters = child(st, 'LineFilters');
  if (lineFilters) {
    return {
      kind: 'line',
      filters: descendants(lineFilters, 'LineFilter').map((f) => {
        if (child(f, 'OrFilter') || descendants(f, 'String').length !== 1) throw new Unsupported(`line filter ${text(src, f)}`);
        return { op: text(src, child(f, 'Filter')), value: unquote(text(src, child(f, 'String'))) };
      }),
    };
  }
  const parserNode = child(st, 'LabelParser');
  if (parserNode) return { kind: 'parser', name: text(src, parserNode) };
  if (child(st, 'JsonExpressionParser')) return { kind: 'parser', name: 'json', params: text(src, child(st, 'JsonExpressionParser')) };
  const otherParser = children(st).find((c) => c.type.name.endsWith('Parser'));
  if (otherParser) return { kind: 'parser', name: text(src, otherParser).split(/\s/)[0] };
  const filter = child(st, 'LabelFilter');
  if (filter) return { kind: 'labelFilter', tree: labelFilter(src, filter), text: text(src, filter) };
  const lineFormat = child(st, 'LineFormatExpr');
  if (lineFormat) return { kind: 'lineFormat', template: unquote(text(src, child(lineFormat, 'String'))) };
  return { kind: 'unsupported', text: text(src, st) };
}

function labelFilter(src, node) {
  const parts = children(node);
  const and = child(node, 'And');
  const or = child(node, 'Or');
  const nested = parts.filter((c) => c.type.name === 'LabelFilter');
  if ((and || or) && nested.length === 2) {
    return { op: and ? 'and' : 'or', left: labelFilter(src, nested[0]), right: labelFilter(src, nested[1]) };
  }
  if (nested.length === 1) return labelFilter(src, nested[0]);
  const m = child(node, 'Matcher');
  if (m) return { kind: 'matcher', ...matcher(src, m) };
  const n = child(node, 'NumberFilter');
  if (n) {
    const opNode = children(n).find((c) => ['Gtr', 'Gte', 'Lss', 'Lte', 'Eql', 'Neq', 'Eq'].includes(c.type.name));
    return { kind: 'number', label: text(src, child(n, 'Identifier')), op: text(src, opNode), value: Number(text(src, child(n, 'LiteralExpr'))) };
  }
  throw new Unsupported(`label filter ${text(src, node)}`);
}

/** Labels named by a filter tree. */
export function filterLabels(tree) {
  if (tree.op === 'and' || tree.op === 'or') return [...filterLabels(tree.left), ...filterLabels(tree.right)];
  return [tree.label];
}

/** Fields a line_format/label_format template reads: {{.field}} and {{ .field | ... }}. */
export function templateFields(template) {
  const fields = new Set();
  for (const action of template.matchAll(/\{\{(.*?)\}\}/gs)) {
    for (const f of action[1].matchAll(/(?<![\w)\]])\.([A-Za-z_]\w*)/g)) fields.add(f[1]);
  }
  return fields;
}

// Go's RE2 takes inline flags like (?i) at the start; JavaScript takes them as RegExp flags.
export function toRegExp(re2, anchored) {
  let flags = '';
  let body = re2;
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    flags = inline[1].replace('U', '');
  }
  return new RegExp(anchored ? `^(?:${body})$` : body, flags);
}

/**
 * Loki's json parser: nested objects are flattened with "_", characters outside [A-Za-z0-9_]
 * become "_", and a key that collides with an existing label gets the suffix "_extracted".
 */
export function jsonLabels(line, existing) {
  let obj;
  try {
    obj = JSON.parse(line);
  } catch {
    return { __error__: 'JSONParserErr' };
  }
  const out = {};
  const put = (key, value) => {
    const k = key.replace(/[^A-Za-z0-9_]/g, '_');
    out[k in existing ? `${k}_extracted` : k] = value;
  };
  const walk = (o, prefix) => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix ? `${prefix}_${k}` : k;
      if (v === null) put(key, '');
      else if (Array.isArray(v)) continue;
      else if (typeof v === 'object') walk(v, key);
      else put(key, String(v));
    }
  };
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) walk(obj, '');
  return out;
}

function matchValue(op, actual, expected) {
  const value = actual ?? '';
  switch (op) {
    case '=': return value === expected;
    case '!=': return value !== expected;
    case '=~': return toRegExp(expected, true).test(value);
    case '!~': return !toRegExp(expected, true).test(value);
    default: throw new Unsupported(`matcher operator ${op}`);
  }
}

function evalFilter(tree, labels) {
  if (tree.op === 'and') return evalFilter(tree.left, labels) && evalFilter(tree.right, labels);
  if (tree.op === 'or') return evalFilter(tree.left, labels) || evalFilter(tree.right, labels);
  if (tree.kind === 'matcher') return matchValue(tree.op, labels[tree.label], tree.value);
  const n = Number(labels[tree.label]);
  if (labels[tree.label] === undefined || Number.isNaN(n)) return false;
  switch (tree.op) {
    case '>': return n > tree.value;
    case '>=': return n >= tree.value;
    case '<': return n < tree.value;
    case '<=': return n <= tree.value;
    case '==': case '=': return n === tree.value;
    case '!=': return n !== tree.value;
    default: throw new Unsupported(`number filter ${tree.op}`);
  }
}

function evalLine(op, line, value) {
  switch (op) {
    case '|=': return line.includes(value);
    case '!=': return !line.includes(value);
    case '|~': return toRegExp(value, false).test(line);
    case '!~': return !toRegExp(value, false).test(line);
    default: throw new Unsupported(`line filter ${op}`);
  }
}

/**
 * Runs one pipeline over entries { line, stream: {...}, metadata: {...} } and returns the label
 * sets of the entries that pass. Selector matchers whose value is a Grafana variable match anything.
 */
export function runPipeline(pipeline, entries, isVariable = () => false) {
  const passed = [];
  for (const entry of entries) {
    if (!pipeline.selector.every((m) => isVariable(m.value) || matchValue(m.op, entry.stream[m.label], m.value))) continue;
    let labels = { ...entry.stream, ...entry.metadata };
    let ok = true;
    for (const st of pipeline.stages) {
      if (st.kind === 'line') ok = st.filters.every((f) => isVariable(f.value) || evalLine(f.op, entry.line, f.value));
      else if (st.kind === 'parser' && st.name === 'json' && !st.params) labels = { ...labels, ...jsonLabels(entry.line, labels) };
      else if (st.kind === 'labelFilter') ok = evalFilter(st.tree, labels);
      else if (st.kind === 'lineFormat') continue;
      else throw new Unsupported(`pipeline stage ${st.text ?? st.name}`);
      if (!ok) break;
    }
    if (ok) passed.push(labels);
  }
  return passed;
}

export { Unsupported };
