import { describe, expect, it } from 'vitest';
import { decideReferralReward } from './referral-rules.js';

const first = { refereeId: 2, referrerId: 1, previousPaidPayments: 0, alreadyRewarded: false, amountMinor: 19_900, minimumMinor: 19_900 };

describe('decideReferralReward', () => {
  it('rewards the referrer on the first paid payment', () => {
    expect(decideReferralReward(first)).toEqual({ reward: true, referrerId: 1 });
  });

  it('a first payment of the minimum or more is rewarded; without a minimum any amount is', () => {
    expect(decideReferralReward({ ...first, amountMinor: 54_900 })).toMatchObject({ reward: true });
    expect(decideReferralReward({ ...first, amountMinor: 1, minimumMinor: null })).toMatchObject({ reward: true });
  });

  it.each([
    ['no_referrer', { referrerId: null }],
    ['self_referral', { referrerId: 2 }],
    ['not_first_payment', { previousPaidPayments: 1 }],
    ['already_rewarded', { alreadyRewarded: true }],
    ['below_minimum', { amountMinor: 19_899 }],
  ])('skips: %s', (reason, patch) => {
    expect(decideReferralReward({ ...first, ...patch })).toEqual({ reward: false, reason });
  });
});
