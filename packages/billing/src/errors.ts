import type { PromoRefusal } from './domain/promo-rules.js';

/**
 * Stable codes a billing operation refuses with. Callers (bots, the worker, the admin bot) branch
 * on `code` and map it to an i18n key; the message is for logs only and may change.
 */
export type BillingErrorCode =
  | 'INVALID_INPUT'
  | 'USER_NOT_FOUND'
  | 'USER_BLOCKED'
  | 'PLAN_NOT_FOUND'
  | 'PLAN_INACTIVE'
  /** The plan's terms changed since the checkout opened, too long ago to keep them (see `offeredPlan`). */
  | 'PLAN_CHANGED'
  | 'PAYMENT_NOT_FOUND'
  | 'SUBSCRIPTION_NOT_FOUND'
  | 'AMOUNT_MISMATCH'
  | 'CURRENCY_MISMATCH'
  | 'ILLEGAL_TRANSITION'
  | 'IDEMPOTENCY_CONFLICT'
  | 'TRIAL_ALREADY_USED'
  | 'TRIAL_NOT_ELIGIBLE'
  /** The free trial is switched off (`trial.enabled` false). */
  | 'TRIAL_DISABLED'
  | 'NO_SAVED_METHOD'
  | 'AUTO_RENEW_NOT_DUE'
  /** A debit (a purchase from the balance, an admin's debit) would take the balance below zero. */
  | 'INSUFFICIENT_BALANCE'
  /** A top-up below the minimum or above the maximum of the settings. */
  | 'AMOUNT_OUT_OF_RANGE'
  | PromoErrorCode;

/** `PROMO_UNKNOWN`, `PROMO_EXPIRED`, ...: one per {@link PromoRefusal} reason. */
export type PromoErrorCode = `PROMO_${Uppercase<PromoRefusal>}`;

/** A refusal by the billing domain: nothing was written when it is thrown. */
export class BillingError extends Error {
  constructor(
    readonly code: BillingErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BillingError';
  }
}

/** The error code for a promo refusal reason (`used_up` → `PROMO_USED_UP`). */
export function promoErrorCode(reason: PromoRefusal): PromoErrorCode {
  return `PROMO_${reason.toUpperCase() as Uppercase<PromoRefusal>}`;
}

/** True when `error` is a {@link BillingError}, optionally with one of `codes`. */
export function isBillingError(error: unknown, ...codes: BillingErrorCode[]): error is BillingError {
  return error instanceof BillingError && (codes.length === 0 || codes.includes(error.code));
}
