import { percentile, type LoadResult } from './load.js';

/** Prints rows as an aligned text table (and nothing else: no console in this codebase). */
export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [`\n${title}`, line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)];
  process.stdout.write(`${out.join('\n')}\n`);
}

export const ms = (v: number) => v.toFixed(1);

/** One table row for a load run: achieved rate, latency percentiles, non-200 answers. */
export function loadRow(label: string, r: LoadResult): Array<string | number> {
  const ok = r.statuses['200'] ?? 0;
  return [
    label,
    r.sent,
    ((ok * 1000) / r.elapsedMs).toFixed(0),
    ms(percentile(r.latenciesMs, 50)),
    ms(percentile(r.latenciesMs, 99)),
    ms(percentile(r.latenciesMs, 100)),
    r.sent - ok,
  ];
}

export const LOAD_HEADER = ['run', 'requests', 'ok req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-200'];

/** Logs a progress line to stderr (the table goes to stdout). */
export const note = (text: string) => void process.stderr.write(`${text}\n`);
