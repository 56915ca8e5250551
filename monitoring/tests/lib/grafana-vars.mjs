// Grafana replaces variables in a query before sending it; parsers need a concrete query.
// Interval variables become durations (callers may pass their own); every other variable becomes a marker token that value
// checks recognise and skip (its real value is only known at view time).

export const VARIABLE_MARKER = '__grafana_variable__';

const INTERVALS = {
  __rate_interval: '5m',
  __interval: '1m',
  __auto: '1m',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
  __interval_ms: '60000',
};

// $name, ${name}, ${name:format}, [[name]]
const VARIABLE = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/g;

export function substituteVariables(query, values = {}) {
  return query.replace(VARIABLE, (_, a, b, c) => {
    const name = a ?? b ?? c;
    if (name in values) return values[name];
    if (name in INTERVALS) return INTERVALS[name];
    return VARIABLE_MARKER;
  });
}

export function variableNames(query) {
  const names = new Set();
  for (const m of query.matchAll(VARIABLE)) names.add(m[1] ?? m[2] ?? m[3]);
  return names;
}

export function isBuiltinVariable(name) {
  return name.startsWith('__');
}
