import type { PreCheckoutQueryLike } from './stars.schema.js';

/**
 * A Stars invoice is stale this long after its payment was created: the bot refuses its
 * pre-checkout (prices may have changed), and the worker's poll cancels a payment that old with
 * nothing paid at Telegram, since Stars invoices never expire at Telegram by themselves.
 */
export const STARS_INVOICE_TTL_MS = 24 * 3_600_000;

/** What our ledger says about the payment a pre-checkout query is for. */
export interface ExpectedStarsPayment {
  paymentId: string;
  amountMinor: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'cancelled' | 'refunded';
  /** After this the invoice is stale (a price may have changed). */
  expiresAt?: Date;
  /** The customer the invoice was issued to. */
  telegramId?: number;
  /** A charge for the payment is already recorded (another invoice of it paid, maybe still settling). */
  charged?: boolean;
}

export type PreCheckoutRefusal =
  'unknown_payment' | 'not_pending' | 'already_charged' | 'expired' | 'wrong_currency' | 'wrong_amount' | 'wrong_user';

export type PreCheckoutResult = { ok: true } | { ok: false; reason: PreCheckoutRefusal; messageKey: string };

/** The i18n keys the client bot shows as `error_message` (it must define them in ru and en). */
export const PRE_CHECKOUT_MESSAGE_KEYS: Readonly<Record<PreCheckoutRefusal, string>> = {
  unknown_payment: 'client.payment.precheckout.unknown',
  not_pending: 'client.payment.precheckout.not_pending',
  already_charged: 'client.payment.precheckout.already_charged',
  expired: 'client.payment.precheckout.expired',
  wrong_currency: 'client.payment.precheckout.mismatch',
  wrong_amount: 'client.payment.precheckout.mismatch',
  wrong_user: 'client.payment.precheckout.unknown',
};

/**
 * Decides a `pre_checkout_query` without I/O beyond the ledger lookup the caller did, so the bot
 * answers well inside Telegram's 10 seconds: the payload must name a pending payment of ours, for
 * the same customer, not yet charged (a second invoice of a payment whose first one was paid and
 * is still settling would charge twice), not expired, in XTR, for exactly the invoiced number of stars.
 */
export function validatePreCheckout(
  query: PreCheckoutQueryLike,
  expected: ExpectedStarsPayment | undefined,
  now: Date = new Date(),
): PreCheckoutResult {
  const refuse = (reason: PreCheckoutRefusal): PreCheckoutResult => ({ ok: false, reason, messageKey: PRE_CHECKOUT_MESSAGE_KEYS[reason] });
  if (!expected || expected.paymentId !== query.invoice_payload) return refuse('unknown_payment');
  if (expected.telegramId !== undefined && query.from !== undefined && query.from.id !== expected.telegramId) return refuse('wrong_user');
  if (expected.charged === true) return refuse('already_charged');
  if (expected.status !== 'pending') return refuse('not_pending');
  if (expected.expiresAt && expected.expiresAt.getTime() <= now.getTime()) return refuse('expired');
  if (query.currency !== 'XTR' || expected.currency !== 'XTR') return refuse('wrong_currency');
  if (!Number.isSafeInteger(query.total_amount) || query.total_amount !== expected.amountMinor) return refuse('wrong_amount');
  return { ok: true };
}
