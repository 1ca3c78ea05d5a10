import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR, computePrice, percentOf } from './pricing.js';

const month = { listPriceMinor: 29_900, currency: 'RUB', periodDiscountPercent: 0, durationDays: 30 };

describe('percentOf', () => {
  it('rounds the discount down to a whole minor unit', () => {
    expect(percentOf(9_999, 10)).toBe(999);
    expect(percentOf(1, 50)).toBe(0);
    expect(percentOf(3, 33)).toBe(0);
    expect(percentOf(100, 33)).toBe(33);
    expect(percentOf(101, 99)).toBe(99);
  });

  it('handles 0 and 100 percent exactly', () => {
    expect(percentOf(12_345, 0)).toBe(0);
    expect(percentOf(12_345, 100)).toBe(12_345);
  });

  it('refuses fractional or out-of-range inputs', () => {
    expect(() => percentOf(10.5, 10)).toThrow(RangeError);
    expect(() => percentOf(-1, 10)).toThrow(RangeError);
    expect(() => percentOf(100, 10.5)).toThrow(RangeError);
    expect(() => percentOf(100, 101)).toThrow(RangeError);
    expect(() => percentOf(MAX_AMOUNT_MINOR + 1, 1)).toThrow(RangeError);
  });

  it('stays exact at the largest accepted amount', () => {
    expect(percentOf(MAX_AMOUNT_MINOR, 100)).toBe(MAX_AMOUNT_MINOR);
    expect(percentOf(MAX_AMOUNT_MINOR, 1)).toBe(Math.floor(MAX_AMOUNT_MINOR / 100));
  });
});

describe('computePrice', () => {
  it('charges the list price without discounts', () => {
    expect(computePrice(month)).toEqual({
      currency: 'RUB',
      listPriceMinor: 29_900,
      periodDiscountMinor: 0,
      promoDiscountMinor: 0,
      amountMinor: 29_900,
      days: 30,
      promoDays: 0,
    });
  });

  it('applies the period discount, then a percent promo on what is left', () => {
    // 3 months at 89 700 with 10 % off = 80 730; a 15 % promo takes floor(12 109.5) = 12 109.
    const q = computePrice({
      listPriceMinor: 89_700,
      currency: 'RUB',
      periodDiscountPercent: 10,
      durationDays: 90,
      promo: { kind: 'percent', percent: 15 },
    });
    expect(q.periodDiscountMinor).toBe(8_970);
    expect(q.promoDiscountMinor).toBe(12_109);
    expect(q.amountMinor).toBe(68_621);
    expect(q.listPriceMinor - q.periodDiscountMinor - q.promoDiscountMinor).toBe(q.amountMinor);
  });

  it('subtracts a fixed promo in the same currency', () => {
    const q = computePrice({ ...month, promo: { kind: 'fixed', amountMinor: 5_000, currency: 'RUB' } });
    expect(q.amountMinor).toBe(24_900);
    expect(q.promoDiscountMinor).toBe(5_000);
  });

  it('refuses a fixed promo in another currency', () => {
    expect(() => computePrice({ ...month, promo: { kind: 'fixed', amountMinor: 5, currency: 'USD' } })).toThrow(/cannot discount/);
  });

  it('never goes below the floor of 1 minor unit, and reports only the discount really given', () => {
    const fixed = computePrice({ ...month, promo: { kind: 'fixed', amountMinor: 1_000_000, currency: 'RUB' } });
    expect(fixed.amountMinor).toBe(1);
    expect(fixed.promoDiscountMinor).toBe(29_899);
    const full = computePrice({ ...month, promo: { kind: 'percent', percent: 100 } });
    expect(full.amountMinor).toBe(1);
  });

  it('honours a custom floor, and keeps a free plan free', () => {
    expect(computePrice({ ...month, minChargeMinor: 100, promo: { kind: 'percent', percent: 100 } }).amountMinor).toBe(100);
    expect(computePrice({ ...month, listPriceMinor: 0 }).amountMinor).toBe(0);
    expect(computePrice({ ...month, listPriceMinor: 50, minChargeMinor: 100 }).amountMinor).toBe(50);
  });

  it('a full period discount still leaves the floor, and the promo adds nothing below it', () => {
    const q = computePrice({ ...month, periodDiscountPercent: 100, promo: { kind: 'percent', percent: 50 } });
    expect(q.amountMinor).toBe(1);
    expect(q.promoDiscountMinor).toBe(0);
  });

  it('a days promo adds days and leaves the price alone', () => {
    const q = computePrice({ ...month, promo: { kind: 'days', days: 7 } });
    expect(q.amountMinor).toBe(29_900);
    expect(q.days).toBe(37);
    expect(q.promoDays).toBe(7);
  });

  it('works in whole stars (XTR has no fraction)', () => {
    const q = computePrice({
      listPriceMinor: 149,
      currency: 'XTR',
      periodDiscountPercent: 10,
      durationDays: 30,
      promo: { kind: 'percent', percent: 33 },
    });
    // 149 − floor(14.9)=14 → 135; 33 % of 135 = floor(44.55) = 44 → 91.
    expect(q.amountMinor).toBe(91);
  });

  it('refuses nonsense: negative or fractional prices, zero days', () => {
    expect(() => computePrice({ ...month, listPriceMinor: -1 })).toThrow(RangeError);
    expect(() => computePrice({ ...month, listPriceMinor: 1.5 })).toThrow(RangeError);
    expect(() => computePrice({ ...month, durationDays: 0 })).toThrow(RangeError);
    expect(() => computePrice({ ...month, periodDiscountPercent: 150 })).toThrow(RangeError);
  });
});
