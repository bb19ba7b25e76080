// The bench's one table (stdout) and bench/results/latest.json (schema: bench/result.schema.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths';

const SCHEMA_VERSION = 2;

export interface RowInput {
  scenario: string;
  figure: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number } | null;
  target?: string | null;
  met?: boolean | null;
  note?: string;
}

export interface Row {
  scenario: string;
  figure: string;
  value: number | null;
  unit: string;
  baseline: { name: string; value: number | null } | null;
  ratio: number | null;
  target: string | null;
  met: boolean | null;
  note: string;
}

/** Fills in the ratio; rounds for reading (the JSON keeps 3 significant decimals). */
export function makeRow({ scenario, figure, value, unit, baseline = null, target = null, met = null, note = '' }: RowInput): Row {
  const ratio = baseline && Number.isFinite(value) && baseline.value > 0 ? value / baseline.value : null;
  const round = (n: number | null): number | null => (n !== null && Number.isFinite(n) ? Math.round(n * 1000) / 1000 : null);
  return {
    scenario,
    figure,
    value: round(value),
    unit,
    baseline: baseline ? { name: baseline.name, value: round(baseline.value) } : null,
    ratio: round(ratio),
    target,
    met: target ? met : null,
    note,
  };
}

const fmt = (n: number | null | undefined): string =>
  n === null || n === undefined ? '–' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : String(Math.round(n * 10) / 10);

export function table(rows: Row[]): string {
  const header = ['scenario', 'figure', 'value', 'baseline', 'ratio', 'target', 'met?'];
  const lines = rows.map((r) => [
    r.scenario,
    r.figure,
    `${fmt(r.value)}${r.unit && r.unit !== '/s' ? ' ' + r.unit : r.unit}`,
    r.baseline ? `${fmt(r.baseline.value)} ${r.baseline.name}` : '–',
    r.ratio === null ? '–' : r.ratio.toFixed(2),
    r.target ?? '(info)',
    r.met === null ? (r.target ? 'n/a' : '') : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join(' | ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-')];
  for (const l of lines) out.push(line(l));
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.scenario} / ${r.figure}: ${r.note}`);
  return [...out, '', 'notes:', ...notes].join('\n');
}

export function writeResult(result: Record<string, unknown>): string {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'latest.json');
  writeFileSync(path, JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...result }, null, 2) + '\n');
  return path;
}
