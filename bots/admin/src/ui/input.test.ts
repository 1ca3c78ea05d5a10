import { describe, expect, it } from 'vitest';
import { parseCount, parseCountOrNone, parsePrice, parseSignedAmount } from './input.js';

describe('numbers staff type', () => {
  it('reads amounts in major units as minor units', () => {
    expect(parseSignedAmount('+500')).toBe(50_000);
    expect(parseSignedAmount('-199,9')).toBe(-19_990);
    expect(parseSignedAmount('0')).toBeNull();
    expect(parsePrice('priceMinor', '1 490.50', 100_000_000)).toEqual({ ok: true, value: 149_050 });
    expect(parsePrice('priceMinor', '199', 100_000_000)).toEqual({ ok: true, value: 19_900 });
    for (const bad of ['-5', '+5', '0', '1.999', 'abc', '', '9999999999'])
      expect(parsePrice('priceMinor', bad, 100_000_000)).toEqual({
        ok: false,
        error: { field: 'priceMinor', details: { min: 0.01, max: 1_000_000 } },
      });
  });

  it('reads whole numbers in a range, and "-" as none where allowed', () => {
    expect(parseCount('days', ' 30 ', 1, 3650)).toEqual({ ok: true, value: 30 });
    for (const bad of ['0', '3651', '1.5', '-1', '1e3', '9'.repeat(30)])
      expect(parseCount('days', bad, 1, 3650)).toEqual({ ok: false, error: { field: 'days', details: { min: 1, max: 3650 } } });
    expect(parseCountOrNone('deviceLimit', '-', 1, 100)).toEqual({ ok: true, value: null });
    expect(parseCountOrNone('deviceLimit', '5', 1, 100)).toEqual({ ok: true, value: 5 });
  });
});
