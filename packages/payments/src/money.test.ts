import { describe, expect, it } from 'vitest';
import { currencyExponent, decimalToMinor, fromProviderAmount, jsonNumberToMinor, minorToDecimal, toProviderAmount } from './money.js';

describe('minorToDecimal', () => {
  it.each([
    [19900, 2, '199.00'],
    [1, 2, '0.01'],
    [10, 2, '0.10'],
    [0, 2, '0.00'],
    [100001, 2, '1000.01'],
    [99999999, 2, '999999.99'],
    [150, 0, '150'],
    [Number.MAX_SAFE_INTEGER, 2, '90071992547409.91'],
  ])('%i with %i decimals is %s', (minor, exponent, text) => {
    expect(minorToDecimal(minor, exponent)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses %d', (minor) => {
    expect(() => minorToDecimal(minor, 2)).toThrow(RangeError);
  });
});

describe('decimalToMinor', () => {
  it.each([
    ['199.00', 2, 19900],
    ['199', 2, 19900],
    ['199.9', 2, 19990],
    ['0.01', 2, 1],
    ['1000.01', 2, 100001],
    ['1.000', 2, 100],
    ['007.50', 2, 750],
    ['250', 0, 250],
    ['250.0', 0, 250],
    ['90071992547409.91', 2, Number.MAX_SAFE_INTEGER],
  ])('%s with %i decimals is %i', (text, exponent, minor) => {
    expect(decimalToMinor(text, exponent)).toBe(minor);
  });

  it.each(['', '1,00', '-1.00', '1.', '.5', '1e3', ' 1.00', '1.00 ', '0x10', '1.001', '90071992547409.92', 'NaN'])('refuses %j', (text) => {
    expect(() => decimalToMinor(text, 2)).toThrow(RangeError);
  });

  it('round-trips every kopeck value in a wide range exactly', () => {
    for (let minor = 0; minor < 100_000; minor += 13) expect(decimalToMinor(minorToDecimal(minor, 2), 2)).toBe(minor);
  });
});

describe('jsonNumberToMinor', () => {
  it('reads JSON numbers the way the provider wrote them', () => {
    expect(jsonNumberToMinor(JSON.parse('1188.00') as number, 2)).toBe(118800);
    expect(jsonNumberToMinor(JSON.parse('0.29') as number, 2)).toBe(29);
    expect(jsonNumberToMinor(JSON.parse('1000.01') as number, 2)).toBe(100001);
    expect(jsonNumberToMinor(JSON.parse('999999.99') as number, 2)).toBe(99999999);
  });

  it('refuses values that are not whole minor units or not finite', () => {
    expect(() => jsonNumberToMinor(0.001, 2)).toThrow(RangeError);
    expect(() => jsonNumberToMinor(1e-7, 2)).toThrow(RangeError);
    expect(() => jsonNumberToMinor(Number.POSITIVE_INFINITY, 2)).toThrow(RangeError);
    expect(() => jsonNumberToMinor(-5, 2)).toThrow(RangeError);
  });
});

describe('currency helpers', () => {
  it('knows exponents and converts by currency code', () => {
    expect(currencyExponent('rub')).toBe(2);
    expect(currencyExponent('XTR')).toBe(0);
    expect(toProviderAmount(29900, 'RUB')).toBe('299.00');
    expect(fromProviderAmount('299', 'RUB')).toBe(29900);
    expect(fromProviderAmount(299.5, 'USD')).toBe(29950);
    expect(() => currencyExponent('BTC')).toThrow(RangeError);
  });
});
