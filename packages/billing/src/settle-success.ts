import type { Payment, RedeemRefusal, SubscriptionPatch, Transaction, User } from '@vpn/db';
import type { BillingContext } from './context.js';
import { BillingError } from './errors.js';
import { paymentTerms, type PaymentTerms } from './ledger.js';
import { lateSuccessRecord, recordLateSuccess, recordPromoLost } from './settlement-audit.js';
import { enqueueNotice } from './outbox-writer.js';
import { holdSince } from './promo-hold.js';
import { creditCommission } from './commission.js';
import { claimReferralReward, grantReferrerBonus } from './referrals.js';
import type { SettlementRecord } from './refund.js';
import type { SettleRequest, SettleResult } from './settlement.js';
import { conversionFor } from './plan-change.js';
import { extendSubscription } from './subscription-writer.js';
import { paymentKeepsKey } from './domain/subscription-machine.js';

/**
 * Thrown inside a settlement transaction when the promo use counted on was lost to a concurrent
 * settlement: the transaction rolls back and settlement runs again with the loss known.
 */
export class PromoLostError extends Error {
  constructor(readonly reason: RedeemRefusal) {
    super(`promo use lost: ${reason}`);
    this.name = 'PromoLostError';
  }
}

/**
 * The days `payment`'s amount buys at the plan's list price when its promo use was lost: the
 * plan's days × amount ÷ list price, rounded up to a whole day, never more than the plan's days.
 */
export function daysBought(payment: Payment, terms: PaymentTerms | null, planDays: number): number {
  const list = terms ? terms.listPriceMinor - (terms.periodDiscountMinor ?? 0) : 0;
  if (list <= 0 || payment.amountMinor >= list) return planDays;
  return Math.min(planDays, Math.max(1, Math.ceil((payment.amountMinor * planDays) / list)));
}

/**
 * What the purchase sets on the subscription besides its dates: the plan and its limits as frozen
 * into the payment's terms at checkout; only payments made before the limits were frozen read
 * the plan (one more query).
 */
async function planPatch(
  ctx: BillingContext,
  payment: Payment,
  terms: PaymentTerms | null,
  tx: Transaction,
): Promise<{ planDays?: number; patch: SubscriptionPatch }> {
  if (payment.planId === null) return { planDays: terms?.planDays, patch: {} };
  if (terms && terms.trafficLimitBytes !== undefined && terms.deviceLimit !== undefined) {
    return {
      planDays: terms.planDays,
      patch: { planId: payment.planId, trafficLimitBytes: terms.trafficLimitBytes, deviceLimit: terms.deviceLimit },
    };
  }
  const plan = await ctx.repos.plans.get(payment.planId, { transaction: tx });
  const patch = plan ? { planId: plan.id, trafficLimitBytes: plan.trafficLimitBytes, deviceLimit: plan.deviceLimit } : {};
  return { planDays: terms?.planDays ?? plan?.durationDays, patch };
}

/**
 * Succeeds a pending payment whose amount and currency matched, or (a late success) one we had
 * failed or cancelled that the provider confirmed as paid: settled the same way, plus
 * `metadata.lateSuccess` and an audit entry in the same transaction. The caller holds the
 * payment's and the customer's locks. Round trips: the customer's subscription lock, the extension with its
 * history row, the payment update and one INSERT for every outbox row; a promo use and a
 * referral add their own.
 *
 * The promo was checked when the payment was created; its use is spent only now, atomically, and
 * LAST: spending it locks the code's row until commit, and every settlement with the same
 * popular code queues on that lock, so it is held for as little as possible. Its days are
 * granted on the expectation that the use is still there; if it is not (the race for the last
 * use was lost) {@link PromoLostError} rolls everything back and the caller settles again with
 * `lostPromo`: the amount paid buys its days at the list price ({@link daysBought}: a 50 % code's
 * payment buys half the period), never the full discounted period and never the `days` bonus; the
 * customer is told why (`promo_lost` notice) and staff see it (`payment.promo_lost` audit entry). Holds make
 * this rare: only a payment whose hold lapsed (paid late, or a late success) can lose the use.
 */
export async function succeed(
  ctx: BillingContext,
  locked: { payment: Payment; customer: User },
  req: SettleRequest,
  tx: Transaction,
  lostPromo?: RedeemRefusal,
): Promise<SettleResult> {
  const { payment, customer: user } = locked;
  const settings = await ctx.settings(tx);
  const terms = paymentTerms(payment);
  const { planDays, patch: planFields } = await planPatch(ctx, payment, terms, tx);
  if (!user || !planDays)
    throw new BillingError('INVALID_INPUT', `payment ${payment.id} has no user or plan to grant`, { paymentId: payment.id });

  const promoOutcome = payment.promoCodeId === null ? 'none' : (lostPromo ?? 'redeemed');
  const promoDays = promoOutcome === 'redeemed' ? (terms?.promoDays ?? 0) : 0;
  // A promo use that can no longer be granted: the amount paid buys its days at the list price.
  const boughtDays = lostPromo === undefined ? planDays : daysBought(payment, terms, planDays);
  // Bonus days unless the settings pay referrers a commission only.
  const referral = settings.referralMode === 'commission' ? null : await claimReferralReward(ctx, user, payment, settings, tx);
  const grantedDays = boughtDays + promoDays + (referral?.refereeDays ?? 0);
  const renewal = payment.kind !== 'purchase';
  const savedMethod = req.savedPaymentMethodId ?? null;
  const { subscription, previous, conversion } = await extendSubscription(
    ctx,
    {
      userId: payment.userId,
      days: grantedDays,
      event: renewal ? 'renewal' : 'purchase',
      reason: renewal ? 'renewal' : 'purchase',
      actor: `payment:${payment.id}`,
      paymentId: payment.id,
      patch: {
        isTrial: false,
        renewalFailures: 0,
        nextRenewalAttemptAt: null,
        ...planFields,
        // A saved method switches auto-renew on only with the customer's consent at checkout (or
        // for an auto-renew charge, which is that consent at work); otherwise it stays as they set it.
        ...(savedMethod ? { savedPaymentMethodId: savedMethod, savedPaymentProvider: payment.provider } : {}),
        ...(savedMethod && (payment.metadata.saveCard === true || payment.kind === 'auto_renew') ? { autoRenew: true } : {}),
      },
      data: { planDays: boughtDays, promoDays, refereeDays: referral?.refereeDays ?? 0 },
      // Another plan than the running one: its remaining time is converted (one plan at a time).
      convert: async (running) => {
        if (payment.planId === null || running.planId === payment.planId) return null;
        const plan = await ctx.repos.plans.get(payment.planId, { transaction: tx });
        return plan ? conversionFor(ctx, running, plan, ctx.now(), tx) : null;
      },
    },
    tx,
  );
  if (referral) await grantReferrerBonus(ctx, referral, payment.id, tx);
  await creditCommission(ctx, user, payment, settings, tx);
  const settlement: SettlementRecord = {
    subscriptionId: subscription.id,
    grantedDays,
    promoOutcome,
    referralRewarded: referral !== null,
    ...(conversion ? { conversion: { ...conversion, endsAt: (subscription.endsAt as Date).toISOString() } } : {}),
  };
  const late = payment.status === 'pending' ? null : lateSuccessRecord(ctx, payment, req);
  const { payment: settled } = await ctx.repos.payments.transition(
    payment.id,
    'succeeded',
    {
      paidAt: ctx.now(),
      savedPaymentMethodId: savedMethod ?? undefined,
      externalId: req.externalId ?? undefined,
      metadata: late ? { settlement, lateSuccess: late } : { settlement },
      ...(late ? { failureReason: null } : {}),
    },
    { transaction: tx, locked: true, lateSuccess: late !== null },
  );
  if (late) await recordLateSuccess(ctx, payment, late, { subscriptionId: subscription.id, grantedDays, promoOutcome }, tx);
  if (payment.promoCodeId !== null && lostPromo !== undefined) {
    await recordPromoLost(ctx, payment, lostPromo, { promoDaysWithheld: terms?.promoDays ?? 0, planDays, daysGranted: boughtDays }, tx);
    await enqueueNotice(
      ctx,
      {
        userId: payment.userId,
        kind: 'promo_lost',
        reference: payment.id,
        params: { paymentId: payment.id, reason: lostPromo === 'expired' ? 'expired' : 'used_up', days: boughtDays, planDays },
      },
      tx,
    );
  }
  const params = {
    paymentId: payment.id,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    days: grantedDays,
    endsAt: (subscription.endsAt as Date).toISOString(),
    // The receipt says the customer's key keeps working when no new link is coming.
    keyKept: paymentKeepsKey(previous),
  };
  await enqueueNotice(
    ctx,
    {
      userId: payment.userId,
      kind: payment.kind === 'auto_renew' ? 'renewal_succeeded' : 'payment_succeeded',
      reference: payment.id,
      params,
    },
    tx,
  );
  await ctx.flushOutbox(tx);
  if (payment.promoCodeId !== null && lostPromo === undefined) {
    // Other customers' live holds count as spent: a payment whose own hold lapsed cannot take one.
    // An unlimited code holds nothing: no holds to count, and no extra round trip on the hot path.
    const since = await holdSince(ctx, tx);
    // A live hold keeps the terms the customer was quoted (a code that expired since still
    // applies); a lapsed one is judged now: "expired meanwhile" is lost.
    const holdLive = terms?.promoLimited !== false && payment.createdAt.getTime() >= since.getTime();
    const redeemed = await ctx.repos.promoCodes.redeem(
      {
        promoCodeId: payment.promoCodeId,
        userId: payment.userId,
        paymentId: payment.id,
        now: holdLive ? payment.createdAt : ctx.now(),
        holdSince: since,
      },
      { transaction: tx },
    );
    if (!redeemed.ok) throw new PromoLostError(redeemed.reason);
  }
  return {
    outcome: 'settled',
    payment: settled,
    subscriptionId: subscription.id,
    grantedDays,
    promoRedeemed: promoOutcome === 'redeemed',
    referralRewarded: referral !== null,
    lateSuccess: late !== null,
  };
}
