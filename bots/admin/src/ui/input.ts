/**
 * Numbers staff type, read one way everywhere: amounts in major units ("199", "199.90", "1 490,5")
 * and whole numbers, each with `-` for "none" where a field may be empty. A refusal names the
 * field and its range (see `invalidInput`); nothing is changed before a parse succeeds.
 */

/** A parse that failed: which field, and what it allows (the bot words the message). */
export interface InputError {
  field: string;
  details: { min?: number; max?: number; allowed?: readonly string[] };
}
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: InputError };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = (field: string, details: InputError['details'] = {}): Parsed<never> => ({ ok: false, error: { field, details } });

/** What staff type for "none" (no limit, no Stars price, no expiry …). */
export const NONE = '-';

/** A signed amount in major units typed by staff ("+500", "-199.90", "250"), as minor units; null for anything else or zero. */
export function parseSignedAmount(text: string): number | null {
  const match = /^([+\-−]?)(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(text.trim().replace(/[\s\u00a0]/g, ''));
  if (!match) return null;
  const minor = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  if (minor === 0) return null;
  return match[1] === '-' || match[1] === '−' ? -minor : minor;
}

/** A positive amount in major units, as minor units at most `maxMinor`. */
export function parsePrice(field: string, text: string, maxMinor: number): Parsed<number> {
  const trimmed = text.trim();
  const minor = /^[+\-−]/.test(trimmed) ? null : parseSignedAmount(trimmed);
  return minor !== null && minor <= maxMinor ? ok(minor) : fail(field, { min: 0.01, max: maxMinor / 100 });
}

/** A whole number in [min, max] (spaces between digit groups allowed). */
export function parseCount(field: string, text: string, min: number, max: number): Parsed<number> {
  const digits = text.trim().replace(/[\s\u00a0]/g, '');
  const value = /^\d{1,15}$/.test(digits) ? Number(digits) : NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max ? ok(value) : fail(field, { min, max });
}

/** {@link parseCount}, or null for {@link NONE}. */
export function parseCountOrNone(field: string, text: string, min: number, max: number): Parsed<number | null> {
  return text.trim() === NONE ? ok(null) : parseCount(field, text, min, max);
}
