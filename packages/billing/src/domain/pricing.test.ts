import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR, computePrice, percentOf, planSaving } from './pricing.js';

const month = { listPriceMinor: 29_900, currency: 'RUB', durationDays: 30 };

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
      promoDiscountMinor: 0,
      amountMinor: 29_900,
      days: 30,
      promoDays: 0,
    });
  });

  it('charges a long plan its own price: the saving it carries is never subtracted again', () => {
    // The seeded 3 months: 549 ₽ is already 8 % below 3 × 199 ₽; a 15 % promo takes floor(8 235) from it.
    const q = computePrice({ listPriceMinor: 54_900, currency: 'RUB', durationDays: 90, promo: { kind: 'percent', percent: 15 } });
    expect(q.promoDiscountMinor).toBe(8_235);
    expect(q.amountMinor).toBe(46_665);
    expect(computePrice({ listPriceMinor: 420, currency: 'XTR', durationDays: 90 }).amountMinor).toBe(420);
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
      durationDays: 30,
      promo: { kind: 'percent', percent: 33 },
    });
    // 33 % of 149 = floor(49.17) = 49 → 100.
    expect(q.amountMinor).toBe(100);
  });

  it('refuses nonsense: negative or fractional prices, zero days', () => {
    expect(() => computePrice({ ...month, listPriceMinor: -1 })).toThrow(RangeError);
    expect(() => computePrice({ ...month, listPriceMinor: 1.5 })).toThrow(RangeError);
    expect(() => computePrice({ ...month, durationDays: 0 })).toThrow(RangeError);
  });
});

describe('planSaving', () => {
  const monthly = { priceMinor: 19_900, durationDays: 30 };
  it('derives the saving of the seeded plans against the monthly one', () => {
    expect(planSaving({ priceMinor: 54_900, durationDays: 90 }, monthly)).toEqual({
      referenceMinor: 59_700,
      amountMinor: 4_800,
      percent: 8,
    });
    // 365 days are 12 months to a customer: 12 × 199 ₽.
    expect(planSaving({ priceMinor: 179_900, durationDays: 365 }, monthly)).toEqual({
      referenceMinor: 238_800,
      amountMinor: 58_900,
      percent: 25,
    });
    expect(planSaving({ priceMinor: 420, durationDays: 90 }, { priceMinor: 150, durationDays: 30 })?.percent).toBe(7);
    // A length that is no whole number of months is compared day by day: 45 days of 199 ₽ a month is 298.50 ₽.
    expect(planSaving({ priceMinor: 25_000, durationDays: 45 }, monthly)).toEqual({
      referenceMinor: 29_850,
      amountMinor: 4_850,
      percent: 16,
    });
  });
  it('is null for the reference itself, a dearer plan, or no reference', () => {
    expect(planSaving(monthly, monthly)).toBeNull();
    expect(planSaving({ priceMinor: 70_000, durationDays: 90 }, monthly)).toBeNull();
    expect(planSaving({ priceMinor: 54_900, durationDays: 90 }, null)).toBeNull();
  });
});
