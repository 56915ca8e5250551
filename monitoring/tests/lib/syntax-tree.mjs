// Walking a lezer syntax tree (the PromQL and LogQL grammars both produce one).

/** The source text a node spans. */
export function text(src, node) {
  return src.slice(node.from, node.to);
}

/** A node's direct children, in order. */
export function children(node) {
  const out = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** The first direct child of the given type, or undefined. */
export function child(node, name) {
  return children(node).find((c) => c.type.name === name);
}

/** Every node of the given type below this one, depth first. */
export function descendants(node, name) {
  const out = [];
  const walk = (n) => {
    for (const c of children(n)) {
      if (c.type.name === name) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** Syntax errors of a query under a lezer parser, with their position; empty when it parses. */
export function syntaxErrors(parser, expr) {
  const errors = [];
  if (!expr.trim()) return ['empty query'];
  parser.parse(expr).iterate({
    enter(n) {
      if (n.type.isError) errors.push(`syntax error at ${n.from}: ...${expr.slice(Math.max(0, n.from - 20), n.from + 20)}...`);
    },
  });
  return errors;
}
