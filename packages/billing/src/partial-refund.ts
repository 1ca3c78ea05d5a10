import type { Payment, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { isRunning } from './domain/subscription-dates.js';
import { reverseBalanceOf } from './balance.js';
import { BillingError } from './errors.js';
import type { LedgerOutcome } from './ledger.js';
import { enqueueNotice } from './outbox-writer.js';
import { refundInTx, settlementRecord } from './refund.js';
import { shortenSubscription } from './shorten.js';
import { lockCustomer } from './subscription-writer.js';

/** One part of a payment given back (`payments.metadata.refunds`). */
export interface PartialRefund {
  /** The provider's refund id (or the staff request for a refund made outside the provider). */
  refundId: string;
  amountMinor: number;
  /** Days of the payment's grant taken back with it. */
  days: number;
  actor: string;
  reason: string | null;
  at: string;
}

/** The partial refunds recorded on a payment, and their sums. */
export function partialRefundsOf(payment: Payment): { refunds: PartialRefund[]; amountMinor: number; days: number } {
  const raw = payment.metadata.refunds;
  const refunds = Array.isArray(raw) ? (raw as PartialRefund[]) : [];
  return {
    refunds,
    amountMinor: refunds.reduce((sum, r) => sum + r.amountMinor, 0),
    days: refunds.reduce((sum, r) => sum + r.days, 0),
  };
}

/**
 * Days a refund of `refundedMinor` (all parts so far) takes back of `grantedDays` paid with
 * `amountMinor`: proportional and rounded down, so a customer never loses a day they paid for.
 */
export function refundedDays(grantedDays: number, amountMinor: number, refundedMinor: number): number {
  if (amountMinor <= 0) return grantedDays;
  return Math.floor((grantedDays * Math.min(refundedMinor, amountMinor)) / amountMinor);
}

export interface PartialRefundRequest {
  amountMinor: number;
  refundId: string;
  reason?: string;
  actor?: string;
}

/**
 * Records a part of a locked `succeeded` payment given back: the ledger keeps the payment
 * `succeeded` with `metadata.refunds`, the days of the grant in proportion come off the
 * subscription's end (never before now), and the customer is told. The same `refundId` twice is
 * a no-op; parts that add up to the whole amount refund the payment (`refunded`, the rest of its
 * days taken back). More than is left is refused.
 */
export async function refundPartInTx(
  ctx: BillingContext,
  payment: Payment,
  req: PartialRefundRequest,
  tx: Transaction,
): Promise<LedgerOutcome> {
  const so = partialRefundsOf(payment);
  if (so.refunds.some((r) => r.refundId === req.refundId)) return { changed: false, payment };
  if (payment.status !== 'succeeded')
    throw new BillingError('ILLEGAL_TRANSITION', `payment ${payment.id}: ${payment.status} cannot be refunded in part`, {
      paymentId: payment.id,
      from: payment.status,
    });
  const left = payment.amountMinor - so.amountMinor;
  if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0 || req.amountMinor > left)
    throw new BillingError('INVALID_INPUT', `refund of ${req.amountMinor} exceeds the ${left} left of payment ${payment.id}`, {
      paymentId: payment.id,
      leftMinor: left,
    });
  const actor = req.actor ?? 'system';
  const record = settlementRecord(payment);
  const granted = record?.grantedDays ?? 0;
  const days = refundedDays(granted, payment.amountMinor, so.amountMinor + req.amountMinor) - so.days;
  const part: PartialRefund = {
    refundId: req.refundId,
    amountMinor: req.amountMinor,
    days,
    actor,
    reason: req.reason ?? null,
    at: ctx.now().toISOString(),
  };
  const appendPart = (p: Payment) => ctx.repos.payments.mergeMetadata(p.id, { refunds: [...so.refunds, part] }, { transaction: tx });
  // The last part gives back the whole amount: the payment is refunded and the days the earlier
  // parts left go with it (refundInTx counts those parts), then this part is recorded beside them.
  if (req.amountMinor === left) {
    const full = await refundInTx(ctx, payment, { reason: req.reason, actor }, tx);
    return { changed: true, payment: (await appendPart(full.payment)) ?? full.payment };
  }
  const updated = await appendPart(payment);
  if (!updated) throw new BillingError('PAYMENT_NOT_FOUND', `payment ${payment.id} not found`, { paymentId: payment.id });

  await lockCustomer(ctx, payment.userId, tx);
  // A top-up refunded in part leaves the balance by that part (its money went back to the provider).
  if (payment.kind === 'top_up') await reverseBalanceOf(ctx, payment, actor, tx, { refundId: req.refundId, amountMinor: req.amountMinor });
  const subId = record?.subscriptionId ?? payment.subscriptionId;
  const sub = subId === null ? null : await ctx.repos.subscriptions.lockForUpdate(subId, { transaction: tx });
  let endsAt = sub?.endsAt ?? null;
  if (sub && days > 0 && (sub.status === 'active' || sub.status === 'suspended') && isRunning(sub.endsAt, ctx.now())) {
    const data = { refundId: req.refundId, amountMinor: req.amountMinor };
    const cut = await shortenSubscription(
      ctx,
      sub,
      { days, event: 'partial_refund', reason: 'refund', actor, paymentId: payment.id, data },
      tx,
    );
    endsAt = cut.status === 'cancelled' ? null : cut.endsAt;
  }
  await enqueueNotice(
    ctx,
    {
      userId: payment.userId,
      kind: 'payment_refunded',
      reference: `${payment.id}:${req.refundId}`,
      params: { paymentId: payment.id, amountMinor: req.amountMinor, currency: payment.currency, endsAt: endsAt?.toISOString() ?? null },
    },
    tx,
  );
  ctx.logger.info({ paymentId: payment.id, refundId: req.refundId, amountMinor: req.amountMinor, days }, 'payment refunded in part');
  return { changed: true, payment: updated };
}
