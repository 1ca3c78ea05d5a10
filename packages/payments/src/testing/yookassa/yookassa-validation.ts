import { randomUUID } from 'node:crypto';
import { decimalToMinor } from '../../money.js';
import type { EmulatorResponse } from '../shared/http-server.js';

/** YooKassa's error body (yookassa.md §9). */
export function yooError(status: number, code: string, description: string, parameter?: string): EmulatorResponse {
  return { status, body: { type: 'error', id: randomUUID(), code, description, ...(parameter ? { parameter } : {}) } };
}

export const invalid = (description: string, parameter?: string) => yooError(400, 'invalid_request', description, parameter);

const CURRENCIES = new Set(['RUB', 'EUR', 'USD', 'KZT', 'BYN', 'UAH', 'UZS', 'TRY', 'INR', 'MDL', 'AZN', 'AMD']);

export interface Amount {
  value: string;
  currency: string;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: EmulatorResponse };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A MonetaryAmount: a decimal string with at most two decimals, a known currency; returns its minor units. */
export function checkAmount(value: unknown, parameter: string, allowZero = false): Result<{ amount: Amount; minor: number }> {
  if (!isRecord(value) || typeof value.value !== 'string' || typeof value.currency !== 'string') {
    return { ok: false, error: invalid(`${parameter} must be an object with string value and currency`, parameter) };
  }
  if (!/^\d+(\.\d{1,2})?$/.test(value.value))
    return { ok: false, error: invalid(`Invalid ${parameter}.value format`, `${parameter}.value`) };
  if (!CURRENCIES.has(value.currency))
    return { ok: false, error: invalid(`Unsupported currency ${value.currency}`, `${parameter}.currency`) };
  const minor = decimalToMinor(value.value, 2);
  if (minor === 0 && !allowZero) return { ok: false, error: invalid(`${parameter}.value must be greater than 0`, `${parameter}.value`) };
  return { ok: true, value: { amount: { value: value.value, currency: value.currency }, minor } };
}

/** metadata: ≤ 16 keys, key ≤ 32 characters, string values ≤ 512 characters (yookassa.md §4). */
export function checkMetadata(metadata: unknown): EmulatorResponse | undefined {
  if (metadata === undefined) return undefined;
  if (!isRecord(metadata)) return invalid('metadata must be an object', 'metadata');
  const entries = Object.entries(metadata);
  if (entries.length > 16) return invalid('Too many metadata keys', 'metadata');
  for (const [key, value] of entries) {
    if (key.length > 32) return invalid(`Metadata key ${key} is too long`, 'metadata');
    if (typeof value !== 'string' || value.length > 512)
      return invalid(`Metadata value of ${key} must be a string up to 512 characters`, 'metadata');
  }
  return undefined;
}

/**
 * A 54-FZ receipt (yookassa.md §8): a customer email or phone, 1–80 items with description,
 * quantity, per-unit amount, vat_code 1–12, payment subject and mode, and item sums equal to
 * the payment amount.
 */
export function checkReceipt(receipt: unknown, totalMinor: number, required: boolean): EmulatorResponse | undefined {
  if (receipt === undefined) return required ? invalid('Receipt is missing or illegal', 'receipt') : undefined;
  if (!isRecord(receipt) || !isRecord(receipt.customer)) return invalid('Receipt customer is missing', 'receipt.customer');
  const { email, phone } = receipt.customer;
  if (typeof email !== 'string' && typeof phone !== 'string')
    return invalid('Receipt customer needs an email or a phone', 'receipt.customer');
  if (typeof phone === 'string' && !/^\d{10,15}$/.test(phone)) return invalid('Invalid phone', 'receipt.customer.phone');
  if (!Array.isArray(receipt.items) || receipt.items.length === 0 || receipt.items.length > 80)
    return invalid('Receipt items are missing', 'receipt.items');
  let sum = 0;
  for (const [i, item] of (receipt.items as unknown[]).entries()) {
    const where = `receipt.items[${i}]`;
    if (!isRecord(item)) return invalid('Receipt item must be an object', where);
    if (typeof item.description !== 'string' || item.description.length < 1 || item.description.length > 128)
      return invalid('Invalid item description', `${where}.description`);
    if (typeof item.quantity !== 'number' || !Number.isInteger(item.quantity) || item.quantity < 1)
      return invalid('Invalid item quantity', `${where}.quantity`);
    if (typeof item.vat_code !== 'number' || !Number.isInteger(item.vat_code) || item.vat_code < 1 || item.vat_code > 12)
      return invalid('Invalid vat_code', `${where}.vat_code`);
    if (typeof item.payment_subject !== 'string') return invalid('payment_subject is required', `${where}.payment_subject`);
    if (typeof item.payment_mode !== 'string') return invalid('payment_mode is required', `${where}.payment_mode`);
    const amount = checkAmount(item.amount, `${where}.amount`);
    if (!amount.ok) return amount.error;
    sum += amount.value.minor * item.quantity;
  }
  if (sum !== totalMinor) return invalid('The sum of receipt items does not match the amount', 'receipt');
  return undefined;
}

/** `confirmation` for a customer payment: the emulator supports the redirect type bots use. */
export function checkConfirmation(confirmation: unknown): Result<{ return_url: string }> {
  if (confirmation === undefined)
    return { ok: false, error: invalid('Missing confirmation type for payment method type: bank_card', 'confirmation') };
  if (!isRecord(confirmation) || confirmation.type !== 'redirect')
    return { ok: false, error: invalid('Unsupported confirmation type', 'confirmation.type') };
  if (
    typeof confirmation.return_url !== 'string' ||
    confirmation.return_url.length > 2048 ||
    !/^https?:\/\//.test(confirmation.return_url)
  ) {
    return { ok: false, error: invalid('Invalid return_url', 'confirmation.return_url') };
  }
  return { ok: true, value: { return_url: confirmation.return_url } };
}

export { isRecord };
