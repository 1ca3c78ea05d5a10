import { currencyExponent, minorToDecimal } from '@vpn/payments';

/** A log or record time, the same for every reader: `2026-12-07 15:40 UTC`. */
export const stamp = (date: Date | null | undefined): string => (date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

/** An amount for staff, exact and unambiguous: `199.00 RUB`, `150 XTR`. */
export const amount = (minor: number, currency: string): string => `${minorToDecimal(minor, currencyExponent(currency))} ${currency}`;
