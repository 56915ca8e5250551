// Parses the Prometheus text exposition format into sample names, their label names and values.

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;

/** Map sample name -> Map label name -> Set of values. */
export function parseExposition(text) {
  const samples = new Map();
  text.split('\n').forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`metrics.txt line ${i + 1} is not a sample: ${line}`);
    const labels = samples.get(m[1]) ?? new Map();
    samples.set(m[1], labels);
    if (m[2]) {
      LABEL.lastIndex = 0;
      let l;
      let consumed = 0;
      while ((l = LABEL.exec(m[2]))) {
        const values = labels.get(l[1]) ?? new Set();
        values.add(l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c)));
        labels.set(l[1], values);
        consumed = LABEL.lastIndex;
      }
      if (consumed !== m[2].length) throw new Error(`metrics.txt line ${i + 1}: cannot read labels {${m[2]}}`);
    }
  });
  return samples;
}
