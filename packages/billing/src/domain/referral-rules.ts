/**
 * Referral rewards (seed: "the referrer gets X days, the referee Y days, credited after the
 * referee's first payment"). Pure eligibility; the settlement applies it under the referee's lock,
 * and the `referral_rewards` row, unique per referee, makes a second reward impossible even when
 * two payments of the same referee settle at once.
 */

export type ReferralSkip = 'no_referrer' | 'self_referral' | 'not_first_payment' | 'already_rewarded';

export type ReferralDecision = { reward: true; referrerId: number } | { reward: false; reason: ReferralSkip };

export function decideReferralReward(input: {
  refereeId: number;
  referrerId: number | null;
  /** Succeeded (or refunded) payments of the referee other than the one being settled. */
  previousPaidPayments: number;
  alreadyRewarded: boolean;
}): ReferralDecision {
  if (input.referrerId === null) return { reward: false, reason: 'no_referrer' };
  if (input.referrerId === input.refereeId) return { reward: false, reason: 'self_referral' };
  if (input.alreadyRewarded) return { reward: false, reason: 'already_rewarded' };
  if (input.previousPaidPayments > 0) return { reward: false, reason: 'not_first_payment' };
  return { reward: true, referrerId: input.referrerId };
}
