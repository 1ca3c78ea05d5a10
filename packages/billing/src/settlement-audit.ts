/** What settlement records for staff besides the payment itself: late successes and promo uses lost. */
import type { Payment, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import type { SettleRequest } from './settlement.js';

/**
 * Facts a late success writes into `payments.metadata.lateSuccess`: what the payment had been
 * closed as and why, when and on which report it was honoured. Staff see it on the payment and
 * in the audit log (`payment.late_success`).
 */
export interface LateSuccessRecord {
  from: 'failed' | 'cancelled';
  failureReason: string | null;
  at: string;
  /** The `payment_events` row that confirmed it (webhook, poll or reconciliation). */
  eventId: number | null;
  externalId: string | null;
}

/** The record for `payment` (failed or cancelled, locked by the caller) succeeding late on `req`. */
export function lateSuccessRecord(ctx: BillingContext, payment: Payment, req: SettleRequest): LateSuccessRecord {
  return {
    from: payment.status === 'cancelled' ? 'cancelled' : 'failed',
    failureReason: payment.failureReason,
    at: ctx.now().toISOString(),
    eventId: req.eventId ?? null,
    externalId: req.externalId ?? payment.externalId,
  };
}

/**
 * Writes the audit entry of a late success in the settlement's transaction, so the entry exists
 * exactly when the late success does (settlement logs it at warn level once committed).
 */
export async function recordLateSuccess(
  ctx: BillingContext,
  payment: Payment,
  record: LateSuccessRecord,
  outcome: { subscriptionId: number; grantedDays: number; promoOutcome: string },
  tx: Transaction,
): Promise<void> {
  const data = {
    ...record,
    ...outcome,
    provider: payment.provider,
    userId: payment.userId,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
  };
  await ctx.repos.auditLog.append(
    { actorKind: 'system', action: 'payment.late_success', entity: 'payment', entityId: payment.id, data },
    { transaction: tx },
  );
}

/**
 * A payment settled without its promo use (its hold had lapsed and the code was used up, or the
 * customer's own limit was reached): the amount paid buys its days at the list price, without the
 * code's days and without spending a use, so `uses_count` never passes `max_uses`. The audit
 * entry says so, so a discount beyond the limit is never given, and never silently withheld.
 */
export async function recordPromoLost(
  ctx: BillingContext,
  payment: Payment,
  reason: string,
  days: { promoDaysWithheld: number; planDays: number; daysGranted: number },
  tx: Transaction,
): Promise<void> {
  const data = {
    promoCodeId: payment.promoCodeId,
    reason,
    discountMinor: payment.discountMinor,
    currency: payment.currency,
    ...days,
    userId: payment.userId,
  };
  await ctx.repos.auditLog.append(
    { actorKind: 'system', action: 'payment.promo_lost', entity: 'payment', entityId: payment.id, data },
    { transaction: tx },
  );
}
