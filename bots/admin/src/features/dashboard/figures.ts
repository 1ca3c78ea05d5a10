import type { ByCurrency, DayStats } from '@vpn/db';

/** The figures of a window of days (today, 7 days, 30 days), summed from daily rows. */
export type Window = Omit<DayStats, 'day'>;

const add = (a: ByCurrency, b: ByCurrency): ByCurrency => {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
};

/** Sums days into one window. */
export function sumDays(days: readonly DayStats[]): Window {
  return days.reduce<Window>(
    (w, d) => ({
      newCustomers: w.newCustomers + d.newCustomers,
      trials: w.trials + d.trials,
      conversions: w.conversions + d.conversions,
      revenue: add(w.revenue, d.revenue),
      payments: add(w.payments, d.payments),
      refunds: add(w.refunds, d.refunds),
    }),
    { newCustomers: 0, trials: 0, conversions: 0, revenue: {}, payments: {}, refunds: {} },
  );
}

/** Trial → paid, as a percentage of the window's trials (— without trials). */
export const rate = (w: Window): string => (w.trials > 0 ? `${Math.round((100 * w.conversions) / w.trials)}%` : '—');

/** The currencies any window had money in, the biggest first by the longest window. */
export function currenciesOf(windows: readonly Window[]): string[] {
  const longest = windows.at(-1)?.revenue ?? {};
  const all = new Set(windows.flatMap((w) => [...Object.keys(w.revenue), ...Object.keys(w.refunds)]));
  return [...all].sort((a, b) => (longest[b] ?? 0) - (longest[a] ?? 0) || a.localeCompare(b));
}

/** Fixed-width columns for a `<pre>` table: the label, then one right-aligned cell per window. */
export function tableRow(label: string, cells: readonly string[], widths: { label: number; cell: number }): string {
  return `${label.padEnd(widths.label)}${cells.map((c) => c.padStart(widths.cell)).join('')}`;
}
