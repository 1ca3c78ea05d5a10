import { formatMoney as formatMoneyFor, type Language } from '@vpn/i18n';
import { currencyExponent } from '@vpn/payments';

const LOCALES: Record<Language, string> = { ru: 'ru-RU', en: 'en-GB' };

// Intl formatters are costly to build: one per language / currency / zone, reused.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function memo<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let found = cache.get(key) as T | undefined;
  if (!found) {
    found = make();
    cache.set(key, found);
  }
  return found;
}

/** An amount in minor units for people: `199 ₽`, `£1.99`, `150 ⭐` (`@vpn/i18n` formatMoney). Display only. */
export function formatMoney(amountMinor: number, currency: string, language: Language): string {
  return formatMoneyFor(amountMinor, currency, language, currency === 'XTR' ? 0 : currencyExponent(currency));
}

/** A date and time in the customer's language and the service's time zone: `21 ноября 2026 г., 14:03`. */
export function formatDate(date: Date, language: Language, timeZone: string): string {
  const format = memo(
    `d:${language}:${timeZone}`,
    () =>
      new Intl.DateTimeFormat(LOCALES[language], {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone,
      }),
  );
  return format.format(date);
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** A traffic amount: `1.5 GB`, `820 МБ` (binary steps, as panels count). */
export function formatBytes(bytes: number, language: Language): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : 1;
  const format = memo(
    `b:${language}:${UNITS[unit]}:${digits}`,
    () =>
      new Intl.NumberFormat(LOCALES[language], { style: 'unit', unit: UNITS[unit], unitDisplay: 'short', maximumFractionDigits: digits }),
  );
  return format.format(value);
}

/** Whole days from `now` until `end`, rounded up (a subscription ending in 2 h has 1 day left). */
export function daysLeft(end: Date, now: Date): number {
  return Math.max(0, Math.ceil((end.getTime() - now.getTime()) / 86_400_000));
}

/** At most `max` characters of `text` (by code points), with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * A translated text made for a button label: `ctx.t` escapes interpolated values for HTML, but
 * button labels are plain text, so `A &amp; B` must become `A & B` again.
 */
export function label(html: string): string {
  return html.replace(/&(lt|gt|quot|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[e] ?? '');
}
