/**
 * @module bench/lib/report
 * Percentiles, number formatting and the one table each scenario prints (Markdown, so it can be
 * pasted into the README as it is).
 */

/** The p-th percentile (0–100) of an ascending array, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(values: number[]): { count: number; p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/** The middle value (the mean of the two middle ones for an even count, e.g. two rounds). */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
}

export function fmtInt(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return Math.round(value).toLocaleString('en-US');
}

export function fmtMs(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

export function fmtMiB(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '—';
  return (bytes / 1024 / 1024).toFixed(1);
}

export function fmtRatio(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `${value.toFixed(2)}×`;
}

export function fmtPct(share: number): string {
  if (!Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(1)} %`;
}

export type Verdict = 'met' | 'MISSED' | 'n/a';

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

export function renderTable(table: Table): string {
  const widths = table.columns.map((column, i) =>
    Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (cell ?? '').padEnd(widths[i]!)).join(' | ')} |`;
  const out = [
    `### ${table.title}`,
    '',
    line(table.columns),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...table.rows.map(line),
  ];
  if (table.notes?.length) out.push('', ...table.notes.map((note) => `- ${note}`));
  return `${out.join('\n')}\n`;
}

export function printTable(table: Table): void {
  console.log(`\n${renderTable(table)}`);
}

/** Progress on stderr, so stdout holds only the tables. */
export function progress(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}
