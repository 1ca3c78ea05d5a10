/**
 * Exact conversions between integer minor units and the decimal text providers speak.
 *
 * Nothing here multiplies or divides a float: decimals are split and padded as strings, so
 * 19900 kopecks is always "199.00" and "0.1" is always 10 kopecks, whatever the magnitude.
 */

/** Digits after the decimal point per currency (ISO 4217 exponent; XTR has no fractions). */
const EXPONENTS: Readonly<Record<string, number>> = {
  RUB: 2,
  USD: 2,
  EUR: 2,
  KZT: 2,
  BYN: 2,
  UAH: 2,
  UZS: 2,
  TRY: 2,
  INR: 2,
  MDL: 2,
  AZN: 2,
  AMD: 2,
  GBP: 2,
  CNY: 2,
  GEL: 2,
  THB: 2,
  BRL: 2,
  IDR: 2,
  AED: 2,
  PLN: 2,
  ILS: 2,
  JPY: 0,
  KRW: 0,
  XTR: 0,
};

/** The number of fraction digits of `currency`; throws a RangeError for a currency we cannot convert exactly. */
export function currencyExponent(currency: string): number {
  const exponent = EXPONENTS[currency.toUpperCase()];
  if (exponent === undefined) throw new RangeError(`unsupported currency ${currency}`);
  return exponent;
}

/** 19900, 2 → "199.00"; 1, 2 → "0.01"; 150, 0 → "150". Rejects negative or non-integer input. */
export function minorToDecimal(minor: number, exponent: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`amount must be a non-negative safe integer, got ${minor}`);
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * "199.00", 2 → 19900; "299", 2 → 29900; "0.1", 2 → 10; "1.000", 2 → 100.
 * Throws a RangeError for anything that is not a plain non-negative decimal, or that has
 * non-zero digits below the currency's minor unit ("1.001" RUB cannot be paid in kopecks).
 */
export function decimalToMinor(text: string, exponent: number): number {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(text)}`);
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  if (/[^0]/.test(fraction.slice(exponent))) throw new RangeError(`amount ${text} has more than ${exponent} decimals`);
  const minor = Number(`${whole}${kept}`);
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${text} is too large`);
  return minor;
}

/**
 * A JSON number as parsed by JSON.parse (WATA sends `1188.00` as a number) to minor units.
 * `String(n)` gives the shortest text that round-trips, which for the ≤ 15 significant digits of
 * any real price is exactly the decimal the provider wrote; exponent notation is refused.
 */
export function jsonNumberToMinor(value: number, exponent: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not an amount: ${value}`);
  return decimalToMinor(String(value), exponent);
}

/** Amount conversion for a currency code, in both directions. */
export function toProviderAmount(minor: number, currency: string): string {
  return minorToDecimal(minor, currencyExponent(currency));
}

/** Provider decimal text (or JSON number) of `currency` to minor units. */
export function fromProviderAmount(value: string | number, currency: string): number {
  const exponent = currencyExponent(currency);
  return typeof value === 'number' ? jsonNumberToMinor(value, exponent) : decimalToMinor(value, exponent);
}
