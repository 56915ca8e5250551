// PromQL analysis on Prometheus' own lezer grammar: syntax errors, the series a query selects,
// the labels it groups or matches by, and the labels its result carries (for legends).
import { parser } from '@prometheus-io/lezer-promql';
import { child, children, descendants, syntaxErrors, text } from './syntax-tree.mjs';

function unquote(literal) {
  const q = literal[0];
  const body = literal.slice(1, -1);
  if (q === '`') return body;
  return body.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'" })[c] ?? `\\${c}`);
}

function labelNames(groupingLabels) {
  return groupingLabels ? children(groupingLabels).filter((c) => c.type.name === 'LabelName') : [];
}

/** Syntax errors with their position; empty when the query parses. */
export function promqlSyntaxErrors(expr) {
  return syntaxErrors(parser, expr);
}

/**
 * Selectors: [{ metric, matchers: [{ label, op, value }] }] in the query.
 * Label uses: [{ label, metrics, where }] — labels named in by/without/on/ignoring/group_*,
 * each with the metric names of the expression it applies to.
 */
export function analyzePromQL(expr) {
  const tree = parser.parse(expr);
  const root = tree.topNode;
  const selectors = [];
  for (const vs of descendants(root, 'VectorSelector')) {
    const id = child(vs, 'Identifier');
    const matchers = [];
    let metric = id ? text(expr, id) : null;
    const lm = child(vs, 'LabelMatchers');
    for (const m of lm ? children(lm) : []) {
      if (m.type.name !== 'UnquotedLabelMatcher' && m.type.name !== 'QuotedLabelMatcher') continue;
      const nameNode = child(m, 'LabelName') ?? child(m, 'QuotedLabelName');
      const op = text(expr, child(m, 'MatchOp'));
      const value = unquote(text(expr, child(m, 'StringLiteral')));
      const label = nameNode.type.name === 'LabelName' ? text(expr, nameNode) : unquote(text(expr, nameNode));
      if (label === '__name__' && op === '=') metric = value;
      else matchers.push({ label, op, value });
    }
    selectors.push({ metric, matchers });
  }

  const labelUses = [];
  const metricsIn = (node) => descendants(node, 'VectorSelector').map((vs) => {
    const id = child(vs, 'Identifier');
    return id ? text(expr, id) : null;
  }).filter(Boolean);
  for (const agg of descendants(root, 'AggregateExpr')) {
    const mod = child(agg, 'AggregateModifier');
    if (!mod) continue;
    const where = text(expr, mod);
    for (const l of labelNames(child(mod, 'GroupingLabels'))) {
      labelUses.push({ label: text(expr, l), metrics: metricsIn(agg), where });
    }
  }
  for (const bin of descendants(root, 'BinaryExpr')) {
    const clause = child(bin, 'MatchingModifierClause');
    if (!clause) continue;
    const where = text(expr, clause);
    for (const g of children(clause).filter((c) => c.type.name === 'GroupingLabels')) {
      for (const l of labelNames(g)) labelUses.push({ label: text(expr, l), metrics: metricsIn(bin), where });
    }
  }
  return { selectors, labelUses };
}

/**
 * Labels on the result of the query, given labelsOf(metric) -> Set of label names.
 * Used to check that every {{label}} of a legend exists on the result.
 */
export function resultLabels(expr, labelsOf) {
  return labelsAt(expr, parser.parse(expr).topNode, labelsOf);
}

function union(a, b) {
  return new Set([...a, ...b]);
}

function labelsAt(src, node, labelsOf) {
  if (!node) return new Set();
  const name = node.type.name;
  switch (name) {
    case 'PromQL':
      return labelsAt(src, node.firstChild, labelsOf);
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'SubqueryExpr':
    case 'OffsetExpr':
    case 'StepInvariantExpr':
      return labelsAt(src, children(node).find((c) => isExpr(c)), labelsOf);
    case 'MatrixSelector':
      return labelsAt(src, child(node, 'VectorSelector'), labelsOf);
    case 'VectorSelector': {
      const id = child(node, 'Identifier');
      return id ? new Set(labelsOf(text(src, id))) : new Set();
    }
    case 'NumberDurationLiteral':
    case 'NumberLiteral':
    case 'StringLiteral':
      return new Set();
    case 'AggregateExpr': {
      const op = text(src, child(node, 'AggregateOp'));
      const body = child(node, 'FunctionCallBody');
      const args = children(body).filter(isExpr);
      const inner = labelsAt(src, args[args.length - 1], labelsOf);
      const mod = child(node, 'AggregateModifier');
      const grouping = mod ? labelNames(child(mod, 'GroupingLabels')).map((l) => text(src, l)) : [];
      if (['topk', 'bottomk', 'limitk', 'limit_ratio'].includes(op)) return inner;
      let out;
      if (!mod) out = new Set();
      else if (child(mod, 'By')) out = new Set(grouping);
      else out = new Set([...inner].filter((l) => !grouping.includes(l)));
      if (op === 'count_values' && args[0]) out.add(unquote(text(src, args[0])));
      return out;
    }
    case 'FunctionCall': {
      const fn = text(src, child(node, 'FunctionIdentifier'));
      const args = children(child(node, 'FunctionCallBody')).filter(isExpr);
      if (['vector', 'time', 'scalar', 'pi'].includes(fn) || args.length === 0) return new Set();
      if (fn === 'absent' || fn === 'absent_over_time') {
        const vs = descendants(node, 'VectorSelector')[0];
        const { selectors } = analyzePromQL(text(src, vs));
        return new Set(selectors[0].matchers.filter((m) => m.op === '=').map((m) => m.label));
      }
      if (fn === 'histogram_quantile' || fn === 'histogram_fraction') {
        const inner = labelsAt(src, args[args.length - 1], labelsOf);
        inner.delete('le');
        return inner;
      }
      // Both keep their vector's labels and add (or overwrite) the one their second argument names.
      if (fn === 'label_replace' || fn === 'label_join') {
        return union(labelsAt(src, args[0], labelsOf), [unquote(text(src, args[1]))]);
      }
      const vectorArg = args.find((a) => !['NumberDurationLiteral', 'NumberLiteral', 'StringLiteral'].includes(a.type.name));
      return labelsAt(src, vectorArg, labelsOf);
    }
    case 'BinaryExpr': {
      const parts = children(node);
      const [lhs, rhs] = parts.filter(isExpr);
      const opNode = parts.find((c) => !isExpr(c) && c.type.name !== 'MatchingModifierClause' && c.type.name !== 'BoolModifier');
      const op = opNode ? text(src, opNode) : '';
      const left = labelsAt(src, lhs, labelsOf);
      const right = labelsAt(src, rhs, labelsOf);
      if (isScalar(src, lhs)) return right;
      if (isScalar(src, rhs)) return left;
      if (op === 'or') return union(left, right);
      if (op === 'and' || op === 'unless') return left;
      const clause = child(node, 'MatchingModifierClause');
      if (!clause) return left;
      const groups = children(clause).filter((c) => c.type.name === 'GroupingLabels');
      const matching = labelNames(groups[0]).map((l) => text(src, l));
      const include = labelNames(groups[1]).map((l) => text(src, l));
      if (child(clause, 'GroupLeft')) return union(left, include);
      if (child(clause, 'GroupRight')) return union(right, include);
      if (child(clause, 'On')) return new Set(matching);
      return new Set([...left].filter((l) => !matching.includes(l)));
    }
    default:
      return new Set();
  }
}

const EXPR_NODES = new Set(['ParenExpr', 'UnaryExpr', 'SubqueryExpr', 'OffsetExpr', 'StepInvariantExpr', 'MatrixSelector',
  'VectorSelector', 'NumberDurationLiteral', 'NumberLiteral', 'StringLiteral', 'AggregateExpr', 'FunctionCall', 'BinaryExpr']);

function isExpr(node) {
  return node && EXPR_NODES.has(node.type.name);
}

function isScalar(src, node) {
  if (!node) return false;
  if (node.type.name === 'NumberDurationLiteral' || node.type.name === 'NumberLiteral') return true;
  if (node.type.name === 'ParenExpr' || node.type.name === 'UnaryExpr') return isScalar(src, children(node).find(isExpr));
  if (node.type.name === 'BinaryExpr') return children(node).filter(isExpr).every((c) => isScalar(src, c));
  if (node.type.name === 'FunctionCall') return ['scalar', 'time', 'pi'].includes(text(src, child(node, 'FunctionIdentifier')));
  return false;
}

