import { describe, expect, it } from 'vitest';
import { convertedDays } from './plan-change.js';
import { DAY_MS } from './subscription-dates.js';

const basic = { durationDays: 30, priceMinor: 19_900, currency: 'RUB', priceStars: 150 };
const premium = { durationDays: 30, priceMinor: 39_800, currency: 'RUB', priceStars: 300 };

describe('convertedDays', () => {
  it('converts remaining paid time at the two prices per day, rounded down', () => {
    // 365 days of Basic are worth 182.5 days of Premium: 182.
    expect(convertedDays(365 * DAY_MS, basic, premium)).toBe(182);
    expect(convertedDays(30 * DAY_MS, premium, basic)).toBe(60);
    expect(convertedDays(10 * DAY_MS, basic, { ...basic, durationDays: 90, priceMinor: 54_900 })).toBe(10);
    expect(convertedDays(DAY_MS / 2, basic, basic)).toBe(0);
  });
  it('uses Stars when the currencies differ, and keeps the days when there is nothing to compare', () => {
    expect(convertedDays(30 * DAY_MS, { ...basic, currency: 'USD' }, premium)).toBe(15);
    expect(convertedDays(30 * DAY_MS, { ...basic, currency: 'USD', priceStars: null }, premium)).toBe(30);
    expect(convertedDays(0, basic, premium)).toBe(0);
  });
});
