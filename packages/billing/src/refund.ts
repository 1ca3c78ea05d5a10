import type { Payment, Subscription, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { isRunning } from './domain/subscription-dates.js';
import { reverseBalanceOf } from './balance.js';
import { clawBackCommission } from './commission.js';
import { BillingError } from './errors.js';
import { enqueueNotice } from './outbox-writer.js';
import { partialRefundsOf } from './partial-refund.js';
import { revokeReferralReward } from './referrals.js';
import { shortenSubscription } from './shorten.js';
import type { ConversionRecord } from './plan-change.js';
import { changeSubscription, lockCustomer, reviseSubscription } from './subscription-writer.js';

/** Facts settlement writes into `payments.metadata.settlement` and the refund reads back. */
export interface SettlementRecord {
  subscriptionId: number;
  /** Every day this payment added to its buyer's subscription (plan + promo + referee bonus). */
  grantedDays: number;
  /** `none`, `redeemed`, or why the use was lost (`exhausted`, `per_user_limit`, ...). */
  promoOutcome: string;
  referralRewarded: boolean;
  /** The payment changed the plan: what it converted, and the end it made (a refund undoes both). */
  conversion?: ConversionRecord;
}

export function settlementRecord(payment: Payment): SettlementRecord | null {
  const record = payment.metadata.settlement;
  // A payment credited to the balance (a top-up) granted no days: there is no grant to undo.
  return typeof record === 'object' && record !== null && !('credited' in record) ? (record as SettlementRecord) : null;
}

/**
 * Undoes a plan change a refunded payment made: the previous plan and its limits come back (unless
 * the plan changed again since), and the end moves by what the payment moved it (previous end →
 * the end it made; later extensions are kept), never before now: refunded the same hour, the old
 * plan is back with exactly its remaining time.
 */
async function undoConversion(
  ctx: BillingContext,
  sub: Subscription,
  payment: Payment,
  conversion: ConversionRecord,
  actor: string,
  tx: Transaction,
): Promise<Subscription> {
  const now = ctx.now();
  const shiftMs = Date.parse(conversion.previousEndsAt) - Date.parse(conversion.endsAt);
  const target = new Date((sub.endsAt as Date).getTime() + shiftMs);
  const plan =
    sub.planId === payment.planId
      ? { planId: conversion.fromPlanId, trafficLimitBytes: conversion.trafficLimitBytes, deviceLimit: conversion.deviceLimit }
      : {};
  const recorded = { event: 'refund', reason: 'refund' as const, actor, paymentId: payment.id, data: { conversionUndone: conversion } };
  if (target.getTime() <= now.getTime())
    return changeSubscription(ctx, sub, { ...recorded, action: 'cancel', patch: { ...plan, endsAt: now, autoRenew: false } }, tx);
  return reviseSubscription(ctx, sub, { ...recorded, patch: { ...plan, endsAt: target, autoRenew: false } }, tx);
}

/**
 * Refunds `payment`, which the caller has locked. Refund policy: the payment moves
 * `succeeded → refunded` and the days it granted are taken off the end of the subscription,
 * never ending it before now (time already used is not clawed back). If that leaves nothing,
 * the subscription is cancelled with its end set to now. Auto-renew is switched off (someone who
 * asked for their money back does not want to be charged again).
 * The referral reward it earned is revoked: the referee's bonus days go with the payment's grant,
 * the referrer's come off their end (never before now) and both are told; a commission it paid
 * is clawed back. The promo use stays spent: a use is a use. A repeated refund is a no-op.
 */
export async function refundInTx(
  ctx: BillingContext,
  payment: Payment,
  options: { reason?: string; actor?: string },
  tx: Transaction,
): Promise<{ changed: boolean; payment: Payment }> {
  if (payment.status === 'refunded') return { changed: false, payment };
  if (payment.status !== 'succeeded') {
    throw new BillingError('ILLEGAL_TRANSITION', `payment ${payment.id}: ${payment.status} → refunded`, {
      paymentId: payment.id,
      from: payment.status,
      to: 'refunded',
    });
  }
  const now = ctx.now();
  const actor = options.actor ?? 'system';
  const { payment: refunded } = await ctx.repos.payments.transition(
    payment.id,
    'refunded',
    { metadata: { refund: { reason: options.reason ?? null, actor, at: now.toISOString() } } },
    { transaction: tx, locked: true },
  );
  await lockCustomer(ctx, payment.userId, tx);
  // What the payment did to the balance is undone: a balance-paid plan's money comes back to it.
  await reverseBalanceOf(ctx, payment, actor, tx);
  await clawBackCommission(ctx, payment, tx);
  const record = settlementRecord(payment);
  const subId = record?.subscriptionId ?? payment.subscriptionId;
  const sub = subId === null ? null : await ctx.repos.subscriptions.lockForUpdate(subId, { transaction: tx });
  let endsAt: Date | null = null;
  // What partial refunds of this payment already gave back is neither refunded nor taken twice.
  const earlier = partialRefundsOf(payment);
  const days = record ? Math.max(0, record.grantedDays - earlier.days) : 0;
  if (sub && record && (sub.status === 'active' || sub.status === 'suspended') && isRunning(sub.endsAt, now)) {
    const cut = record.conversion
      ? await undoConversion(ctx, sub, payment, record.conversion, actor, tx)
      : await shortenSubscription(ctx, sub, { days, event: 'refund', reason: 'refund', actor, paymentId: payment.id }, tx);
    endsAt = cut.status === 'cancelled' ? null : cut.endsAt;
  }
  // After the payer's own subscription: locks in the order settlement takes them (payer, then referrer).
  await revokeReferralReward(ctx, payment, actor, tx);
  await enqueueNotice(
    ctx,
    {
      userId: payment.userId,
      kind: 'payment_refunded',
      reference: payment.id,
      params: {
        paymentId: payment.id,
        amountMinor: payment.amountMinor - earlier.amountMinor,
        currency: payment.currency,
        endsAt: endsAt?.toISOString() ?? null,
      },
    },
    tx,
  );
  ctx.logger.info({ paymentId: payment.id, subscriptionId: sub?.id, endsAt }, 'payment refunded');
  return { changed: true, payment: refunded };
}
