// Type-checks dashboard JSON against Grafana's published TypeScript types (@grafana/schema, the
// version of the Grafana image we deploy): each dashboard, and each panel against its plugin's
// options, as object literals, so a misspelt key or a wrong type is a compile error.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { testsDir } from './paths.mjs';

const PANEL_TYPES = {
  timeseries: 'timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen',
  stat: 'stat/panelcfg/x/StatPanelCfg_types.gen',
  table: 'table/panelcfg/x/TablePanelCfg_types.gen',
  logs: 'logs/panelcfg/x/LogsPanelCfg_types.gen',
  bargauge: 'bargauge/panelcfg/x/BarGaugePanelCfg_types.gen',
  gauge: 'gauge/panelcfg/x/GaugePanelCfg_types.gen',
  text: 'text/panelcfg/x/TextPanelCfg_types.gen',
};

const PRELUDE = `
import type { Dashboard, Panel, RowPanel, FieldConfigSource, DataSourceRef } from '@grafana/schema';
import type { LokiDataQuery } from '@grafana/schema/dist/types/raw/composable/loki/dataquery/x/LokiDataQuery_types.gen';
${Object.entries(PANEL_TYPES).map(([t, p]) => `import type * as ${t}Cfg from '@grafana/schema/dist/types/raw/composable/${p}';`).join('\n')}

// JSON holds an enum's value ("list"), TypeScript wants the enum member: accept both.
type Loose<T> = T extends string ? T | \`\${T}\`
  : T extends number | boolean | null | undefined ? T
  : T extends Array<infer U> ? Array<Loose<U>>
  : T extends object ? { [K in keyof T]: Loose<T[K]> }
  : T;

// @grafana/schema 12 has no Prometheus query type; these are the fields Grafana's Prometheus
// query editor writes.
interface PrometheusQuery {
  refId: string;
  datasource?: { type: 'prometheus'; uid: string };
  expr: string;
  legendFormat?: string;
  editorMode?: 'code' | 'builder';
  range?: boolean;
  instant?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  interval?: string;
  intervalFactor?: number;
  exemplar?: boolean;
  hide?: boolean;
}
type LokiQuery = Loose<Omit<LokiDataQuery, 'datasource'>> & { datasource?: { type: 'loki'; uid: string } };

type TypedPanel<O, FC, Q> = Loose<Omit<Panel, 'options' | 'fieldConfig' | 'targets' | 'datasource'>> & {
  datasource?: Loose<DataSourceRef>;
  options?: Loose<Partial<O>>;
  fieldConfig?: Loose<Omit<FieldConfigSource, 'defaults'>> & {
    defaults: Loose<Omit<FieldConfigSource['defaults'], 'custom'>> & { custom?: Loose<Partial<FC>> };
  };
  targets?: Q[];
};
type RowOnly = Loose<Omit<RowPanel, 'panels'>> & { panels: unknown[] };
`;

function panelDeclaration(panel, index, queryType) {
  const cfg = PANEL_TYPES[panel.type];
  if (!cfg) return { error: `panel "${panel.title}": type "${panel.type}" has no schema mapping in monitoring/tests/lib/schema.mjs` };
  const fc = panel.type === 'timeseries' ? `${panel.type}Cfg.FieldConfig` : panel.type === 'table' ? `${panel.type}Cfg.FieldConfig` : 'Record<string, unknown>';
  return { code: `export const panel${index}: TypedPanel<${panel.type}Cfg.Options, ${fc}, ${queryType}> = ${JSON.stringify(panel, null, 2)};\n` };
}

/** Returns a list of error strings, one per problem, naming the file and the line of the generated code. */
export function typeCheckDashboards(dashboards) {
  const files = new Map();
  const errors = [];
  dashboards.forEach((d, i) => {
    const { panels = [], ...rest } = d.json;
    let code = `${PRELUDE}\nexport const dashboard: Loose<Omit<Dashboard, 'panels'>> = ${JSON.stringify(rest, null, 2)};\n`;
    let n = 0;
    for (const p of panels) {
      if (p.type === 'row') {
        code += `export const row${n++}: RowOnly = ${JSON.stringify(p, null, 2)};\n`;
        continue;
      }
      const ds = p.datasource?.type;
      const q = ds === 'loki' ? 'LokiQuery' : ds === 'prometheus' ? 'PrometheusQuery' : 'never';
      const decl = panelDeclaration(p, n++, q);
      if (decl.error) errors.push(`${d.name}: ${decl.error}`);
      else code += decl.code;
    }
    files.set(path.join(testsDir, `.schema-check-${i}.ts`), { name: d.name, code });
  });

  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (files.has(f) ? files.get(f).code : readFile(f));
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.getSourceFile = (f, lang) => (files.has(f) ? ts.createSourceFile(f, files.get(f).code, lang) : getSourceFile(f, lang));
  const program = ts.createProgram([...files.keys()], options, host);
  for (const diag of ts.getPreEmitDiagnostics(program)) {
    const msg = ts.flattenDiagnosticMessageText(diag.messageText, '\n');
    if (diag.file && files.has(diag.file.fileName)) {
      const { line } = diag.file.getLineAndCharacterOfPosition(diag.start);
      const lines = files.get(diag.file.fileName).code.split('\n');
      errors.push(`${files.get(diag.file.fileName).name}: ${msg}\n    at: ${lines[line].trim()}`);
    } else {
      errors.push(msg);
    }
  }
  return errors;
}

export function schemaVersionOfPackage() {
  const pkg = JSON.parse(fs.readFileSync(path.join(testsDir, 'node_modules', '@grafana', 'schema', 'package.json'), 'utf8'));
  return pkg.version;
}
