// Reads what matters for the contract out of Alloy's configuration: the labels its scrape gives
// every series, and the stream labels and structured metadata of every log line.

/** Top-level and nested blocks as { header, body } (header like 'discovery.relabel "pod_logs"'). */
export function blocks(source) {
  const clean = source.replace(/\/\/[^\n]*/g, '');
  const out = [];
  const re = /([A-Za-z_][\w.]*(?:\s+"[^"]*")?)\s*\{/g;
  let m;
  while ((m = re.exec(clean))) {
    let depth = 1;
    let i = re.lastIndex;
    while (depth && i < clean.length) {
      if (clean[i] === '{') depth++;
      else if (clean[i] === '}') depth--;
      i++;
    }
    out.push({ header: m[1].replace(/\s+/g, ' '), body: clean.slice(re.lastIndex, i - 1) });
  }
  return out;
}

function block(source, header) {
  const b = blocks(source).find((x) => x.header === header);
  if (!b) throw new Error(`config.alloy has no block ${header}`);
  return b.body;
}

function targetLabels(body) {
  return [...body.matchAll(/target_label\s*=\s*"([^"]+)"/g)].map((m) => m[1]).filter((l) => !l.startsWith('__'));
}

function mapKeys(body, stage) {
  const b = blocks(body).find((x) => x.header === stage);
  if (!b) return [];
  const values = /values\s*=\s*\{([^}]*)\}/s.exec(b.body);
  return values ? [...values[1].matchAll(/([A-Za-z_]\w*)\s*=/g)].map((m) => m[1]) : [];
}

function listValues(body, stage) {
  const b = blocks(body).find((x) => x.header === stage);
  if (!b) return [];
  const values = /values\s*=\s*\[([^\]]*)\]/s.exec(b.body);
  return values ? [...values[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [];
}

/** Labels Prometheus stores on every scraped series: relabelled target labels plus job and instance. */
export function scrapeTargetLabels(source) {
  return new Set([...targetLabels(block(source, 'discovery.relabel "annotated_pods"')), 'job', 'instance']);
}

/** Loki stream labels and structured metadata keys of the pod logs. */
export function lokiLabels(source) {
  const discovered = targetLabels(block(source, 'discovery.relabel "pod_logs"'));
  const process = block(source, 'loki.process "pods"');
  const dropped = new Set(listValues(process, 'stage.label_drop'));
  const stream = new Set([...discovered, ...mapKeys(process, 'stage.labels')].filter((l) => !dropped.has(l)));
  const metadata = new Set(mapKeys(process, 'stage.structured_metadata'));
  return { stream, metadata };
}
