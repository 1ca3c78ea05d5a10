/**
 * Referral rewards (seed: "the referrer gets X days, the referee Y days, credited after the
 * referee's first payment"). Pure eligibility; the settlement applies it under the referee's lock,
 * and the `referral_rewards` row, unique per referee, makes a second reward impossible even when
 * two payments of the same referee settle at once. The first payment must be worth at least the
 * minimum (by default the cheapest plan's price), so a 1-kopeck or 1-star payment earns nothing;
 * a smaller first payment spends the referee's one chance.
 */

export type ReferralSkip = 'no_referrer' | 'self_referral' | 'not_first_payment' | 'already_rewarded' | 'below_minimum';

export type ReferralDecision = { reward: true; referrerId: number } | { reward: false; reason: ReferralSkip };

export function decideReferralReward(input: {
  refereeId: number;
  referrerId: number | null;
  /** Succeeded (or refunded) payments of the referee other than the one being settled. */
  previousPaidPayments: number;
  alreadyRewarded: boolean;
  /** What the first payment paid, in the minor units of its currency. */
  amountMinor: number;
  /** The smallest first payment that earns a reward in that currency (null: none). */
  minimumMinor: number | null;
}): ReferralDecision {
  if (input.referrerId === null) return { reward: false, reason: 'no_referrer' };
  if (input.referrerId === input.refereeId) return { reward: false, reason: 'self_referral' };
  if (input.alreadyRewarded) return { reward: false, reason: 'already_rewarded' };
  if (input.previousPaidPayments > 0) return { reward: false, reason: 'not_first_payment' };
  if (input.minimumMinor !== null && input.amountMinor < input.minimumMinor) return { reward: false, reason: 'below_minimum' };
  return { reward: true, referrerId: input.referrerId };
}
