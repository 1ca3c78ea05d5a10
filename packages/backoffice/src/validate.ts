import { BackofficeError } from './errors.js';

/**
 * Input checks shared by every entry point: each names the field and the allowed range in its
 * error, so the admin bot (or API) can say exactly what to fix. Nothing is written before they pass.
 */
const bad = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new BackofficeError('INVALID_INPUT', `${field}: ${message}`, field, details);

/** A whole number in [min, max]. */
export function intIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw bad(field, `must be a whole number from ${min} to ${max}`, { min, max });
  return value;
}

/** Days of access: 1..3650 (ten years). */
export const MAX_DAYS = 3650;
export function days(value: unknown, field = 'days'): number {
  return intIn(field, value, 1, MAX_DAYS);
}

/** A positive row id. */
export function id(field: string, value: unknown): number {
  return intIn(field, value, 1, Number.MAX_SAFE_INTEGER);
}

// Control characters other than newline and tab never belong in a text staff type.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Trimmed text of `min..max` characters without control characters. */
export function text(field: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string') throw bad(field, 'must be text', { min, max });
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) throw bad(field, `must be ${min} to ${max} characters`, { min, max });
  if (CONTROL.test(trimmed)) throw bad(field, 'must not contain control characters', { min, max });
  return trimmed;
}

/** A reason staff give for an action: optional unless `required`, up to 500 characters. */
export function reason(value: unknown, required = false): string | null {
  if (!required && (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))) return null;
  return text('reason', value, 1, 500);
}

/** An idempotency key of the caller (a button's nonce): a retried request is the same request. */
export function requestId(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{6,64}$/.test(value)) throw bad('requestId', 'must be 6..64 of A-Z a-z 0-9 _ -');
  return value;
}

/** An http(s) URL of at most 300 characters, without credentials in it (they belong in the encrypted field). */
export function url(field: string, value: unknown): string {
  const raw = text(field, value, 8, 300);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw bad(field, 'must be an http(s) URL', { pattern: 'https://host[:port][/path]' });
  }
  if (!['http:', 'https:'].includes(parsed.protocol) || parsed.username || parsed.password)
    throw bad(field, 'must be an http(s) URL without user:password', { pattern: 'https://host[:port][/path]' });
  return raw.replace(/\/+$/, '');
}
