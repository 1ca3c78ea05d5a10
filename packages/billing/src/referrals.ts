import type { Payment, Transaction, User } from '@vpn/db';
import type { BillingContext } from './context.js';
import { decideReferralReward } from './domain/referral-rules.js';
import { isRunning } from './domain/subscription-dates.js';
import type { BillingSettings } from './domain/settings.js';
import { enqueueNotice } from './outbox-writer.js';
import { STARS_CURRENCY } from './pricing.js';
import { shortenSubscription } from './shorten.js';
import { extendSubscription, lockCustomer, lockCustomerSubscription } from './subscription-writer.js';

export interface ReferralClaim {
  referrerId: number;
  refereeId: number;
  referrerDays: number;
  refereeDays: number;
}

/**
 * The smallest first payment in `currency` that earns a referral reward: the setting, or when it
 * is unset the cheapest active plan's price in that currency (Stars: its Stars price). null when
 * neither exists (nothing is on sale in that currency).
 */
export async function referralMinimumFor(
  ctx: BillingContext,
  currency: string,
  settings: BillingSettings,
  tx: Transaction,
): Promise<number | null> {
  const stars = currency === STARS_CURRENCY;
  const set = stars ? settings.referralMinFirstPayment.stars : settings.referralMinFirstPayment.minor;
  if (set !== null) return set;
  const prices = (await ctx.repos.plans.listActive({ transaction: tx }))
    .map((p) => (stars ? p.priceStars : p.currency === currency ? p.priceMinor : null))
    .filter((p): p is number => p !== null);
  return prices.length > 0 ? Math.min(...prices) : null;
}

/**
 * Inside a settlement, with the referee locked and the payment not yet marked succeeded: claims
 * the referral reward if this is the referee's first paid payment and it is worth at least
 * {@link referralMinimumFor}. The `referral_rewards` row
 * (unique per referee, inserted with ON CONFLICT DO NOTHING) is the decision: only the
 * transaction that inserts it grants days, so two payments of the same referee settling at once
 * give one reward. The referee's bonus days ride on their own extension (the caller adds
 * `refereeDays`); the referrer's are granted by {@link grantReferrerBonus}.
 */
export async function claimReferralReward(
  ctx: BillingContext,
  referee: User,
  payment: Pick<Payment, 'id' | 'amountMinor' | 'currency'>,
  settings: BillingSettings,
  tx: Transaction,
): Promise<ReferralClaim | null> {
  if (referee.referrerId === null) return null;
  const paymentId = payment.id;
  const t = { transaction: tx };
  const previousPaidPayments = await ctx.repos.payments.countPaidByUser(referee.id, { excludingPaymentId: paymentId }, t);
  // "Already rewarded" is left to the unique insert below: one round trip fewer, same answer.
  const decision = decideReferralReward({
    refereeId: referee.id,
    referrerId: referee.referrerId,
    previousPaidPayments,
    alreadyRewarded: false,
    amountMinor: payment.amountMinor,
    // Only a first payment is measured: later ones are refused before the plans are read.
    minimumMinor: previousPaidPayments > 0 ? null : await referralMinimumFor(ctx, payment.currency, settings, tx),
  });
  if (!decision.reward) {
    ctx.logger.debug({ refereeId: referee.id, reason: decision.reason }, 'no referral reward');
    return null;
  }
  const claim: ReferralClaim = {
    referrerId: decision.referrerId,
    refereeId: referee.id,
    referrerDays: settings.referrerBonusDays,
    refereeDays: settings.refereeBonusDays,
  };
  const { inserted } = await ctx.repos.referralRewards.insertOnce({ ...claim, paymentId }, t);
  return inserted ? claim : null;
}

/**
 * Gives the referrer their bonus days. Policy: the days are added to the referrer's subscription
 * right away: a running one is extended from its end, an ended one restarts from now, and a
 * referrer who never had one gets a fresh subscription of that many days (no pending balance to
 * forget about; they can use the reward at once). A suspended subscription keeps its suspension
 * and the days.
 */
export async function grantReferrerBonus(ctx: BillingContext, claim: ReferralClaim, paymentId: string, tx: Transaction): Promise<void> {
  if (claim.referrerDays > 0) {
    await lockCustomer(ctx, claim.referrerId, tx);
    const { subscription } = await extendSubscription(
      ctx,
      {
        userId: claim.referrerId,
        days: claim.referrerDays,
        event: 'referral_bonus',
        reason: 'referral_bonus',
        actor: `referral:${claim.refereeId}`,
        paymentId,
        data: { refereeId: claim.refereeId },
      },
      tx,
    );
    await enqueueNotice(
      ctx,
      {
        userId: claim.referrerId,
        kind: 'referral_bonus',
        reference: `referee:${claim.refereeId}`,
        params: { days: claim.referrerDays, endsAt: (subscription.endsAt as Date).toISOString() },
      },
      tx,
    );
  }
  if (claim.refereeDays > 0) {
    await enqueueNotice(
      ctx,
      {
        userId: claim.refereeId,
        kind: 'referral_welcome_bonus',
        reference: `referee:${claim.refereeId}`,
        params: { days: claim.refereeDays },
      },
      tx,
    );
  }
  ctx.logger.info({ ...claim, paymentId }, 'referral reward granted');
}

/**
 * Inside a full refund (the payment and its payer locked, the payer's own grant already taken
 * back): when the refunded payment earned a referral reward, the reward is revoked, once (the
 * `referral_rewards` row's `revoked_at`), and the referrer's bonus days come off their
 * subscription's end, never before now; their auto-renew stays as they set it (the refund was not
 * theirs). The referee's bonus days were part of the payment's grant and went with it. Both are told.
 */
export async function revokeReferralReward(ctx: BillingContext, payment: Payment, actor: string, tx: Transaction): Promise<void> {
  const reward = await ctx.repos.referralRewards.revokeByPayment(payment.id, ctx.now(), { transaction: tx });
  if (!reward) return;
  const reference = `referee:${reward.refereeId}`;
  if (reward.referrerDays > 0) {
    await lockCustomer(ctx, reward.referrerId, tx);
    const sub = await lockCustomerSubscription(ctx, reward.referrerId, tx);
    if (sub && (sub.status === 'active' || sub.status === 'suspended') && isRunning(sub.endsAt, ctx.now())) {
      const data = { refereeId: reward.refereeId };
      const req = { days: reward.referrerDays, event: 'referral_revoked', reason: 'refund' as const, actor, paymentId: payment.id, data };
      await shortenSubscription(ctx, sub, { ...req, keepAutoRenew: true }, tx);
    }
    const params = { days: reward.referrerDays };
    await enqueueNotice(ctx, { userId: reward.referrerId, kind: 'referral_bonus_revoked', reference, params }, tx);
  }
  if (reward.refereeDays > 0) {
    const params = { days: reward.refereeDays };
    await enqueueNotice(ctx, { userId: reward.refereeId, kind: 'referral_welcome_bonus_revoked', reference, params }, tx);
  }
  ctx.logger.info({ paymentId: payment.id, referrerId: reward.referrerId, refereeId: reward.refereeId }, 'referral reward revoked');
}
