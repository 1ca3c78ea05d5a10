import { readFileSync } from 'node:fs';
import { DEFAULT_PLANS } from '@vpn/db';
import { describe, expect, it } from 'vitest';
import { planSaving } from './domain/pricing.js';

/** The README's plan table, row by row: what a reader is promised is what the seeds sell. */
describe('README plan table', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const rows = [...readme.matchAll(/^\| `(\w+)` \| (\d+) \| ([\d ]+) ₽ \| ([\d ]+) ⭐ \| (—|\d+ %) \|$/gm)];
  const num = (s: string) => Number(s.replace(/\s/g, ''));

  it('lists every seeded plan with its price, Stars price and the saving derived from the prices', () => {
    const monthly = DEFAULT_PLANS.find((p) => p.durationDays === 30)!;
    expect(rows.map((r) => r[1])).toEqual(DEFAULT_PLANS.map((p) => p.code));
    for (const [, code, daysText, rub, stars, saving] of rows) {
      const plan = DEFAULT_PLANS.find((p) => p.code === code)!;
      expect([num(daysText!), num(rub!) * 100, num(stars!)]).toEqual([plan.durationDays, plan.priceMinor, plan.priceStars]);
      const derived = planSaving(plan, monthly);
      expect(saving).toBe(derived ? `${derived.percent} %` : '—');
    }
  });
});
