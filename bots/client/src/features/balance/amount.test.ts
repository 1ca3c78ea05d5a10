import { describe, expect, it } from 'vitest';
import { parseAmount } from './amount.js';

describe('parseAmount', () => {
  it('reads whole and decimal amounts as minor units, with spaces, commas and a currency sign', () => {
    expect(parseAmount('500')).toBe(50_000);
    expect(parseAmount(' 1 500 ₽')).toBe(150_000);
    expect(parseAmount('249,5')).toBe(24_950);
    expect(parseAmount('249.05')).toBe(24_905);
    expect(parseAmount('300 руб')).toBe(30_000);
  });

  it('refuses anything else', () => {
    for (const text of ['', 'abc', '-5', '1.005', '1e5', '5..0', '0x10', '9999999999']) expect(parseAmount(text)).toBeNull();
  });
});
