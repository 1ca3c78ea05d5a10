import { describe, expect, it } from 'vitest';
import { decideReferralReward } from './referral-rules.js';

const first = { refereeId: 2, referrerId: 1, previousPaidPayments: 0, alreadyRewarded: false };

describe('decideReferralReward', () => {
  it('rewards the referrer on the first paid payment', () => {
    expect(decideReferralReward(first)).toEqual({ reward: true, referrerId: 1 });
  });

  it.each([
    ['no_referrer', { referrerId: null }],
    ['self_referral', { referrerId: 2 }],
    ['not_first_payment', { previousPaidPayments: 1 }],
    ['already_rewarded', { alreadyRewarded: true }],
  ])('skips: %s', (reason, patch) => {
    expect(decideReferralReward({ ...first, ...patch })).toEqual({ reward: false, reason });
  });
});
