import type { Transaction, User } from '@vpn/db';
import type { BillingContext } from './context.js';
import { decideReferralReward } from './domain/referral-rules.js';
import type { BillingSettings } from './domain/settings.js';
import { enqueueNotice } from './outbox-writer.js';
import { extendSubscription, lockCustomer } from './subscription-writer.js';

export interface ReferralClaim {
  referrerId: number;
  refereeId: number;
  referrerDays: number;
  refereeDays: number;
}

/**
 * Inside a settlement, with the referee locked and the payment not yet marked succeeded: claims
 * the referral reward if this is the referee's first paid payment. The `referral_rewards` row
 * (unique per referee, inserted with ON CONFLICT DO NOTHING) is the decision: only the
 * transaction that inserts it grants days, so two payments of the same referee settling at once
 * give one reward. The referee's bonus days ride on their own extension (the caller adds
 * `refereeDays`); the referrer's are granted by {@link grantReferrerBonus}.
 */
export async function claimReferralReward(
  ctx: BillingContext,
  referee: User,
  paymentId: string,
  settings: BillingSettings,
  tx: Transaction,
): Promise<ReferralClaim | null> {
  if (referee.referrerId === null) return null;
  const t = { transaction: tx };
  // "Already rewarded" is left to the unique insert below: one round trip fewer, same answer.
  const decision = decideReferralReward({
    refereeId: referee.id,
    referrerId: referee.referrerId,
    previousPaidPayments: await ctx.repos.payments.countPaidByUser(referee.id, { excludingPaymentId: paymentId }, t),
    alreadyRewarded: false,
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
