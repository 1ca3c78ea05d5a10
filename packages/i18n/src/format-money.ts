import type { Language } from './languages.js';

const LOCALES: Record<Language, string> = { ru: 'ru-RU', en: 'en-GB' };

// Intl formatters are costly to build: one per language / currency / shape, reused.
const formats = new Map<string, Intl.NumberFormat>();

/**
 * THE formatter of an amount for people, in every bot and in the worker's notices: `549 ₽`
 * (ru) / `₽549` (en), `1 799,50 ₽`, `150 ⭐`. Whole amounts show without a fraction (no
 * `,00`). `exponent` is the currency's ISO 4217 minor-unit digits, passed by the caller from
 * `@vpn/payments` `currencyExponent` (the one table the amounts are converted with: Intl's own
 * digits differ for some currencies, and a wrong exponent would show 100 times the amount).
 * Display only; never computed with.
 */
export function formatMoney(amountMinor: number, currency: string, language: Language, exponent: number): string {
  if (currency === 'XTR') return `${amountMinor} ⭐`;
  const whole = amountMinor % 10 ** exponent === 0;
  const key = `${language}:${currency}:${exponent}:${whole}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[language], {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: whole ? 0 : exponent,
      maximumFractionDigits: exponent,
    });
    formats.set(key, format);
  }
  return format.format(amountMinor / 10 ** exponent);
}
