import { describe, expect, it } from 'vitest';
import { BILLING_SETTING_KEYS } from './domain/settings.js';
import { days, useHarness } from './testing/harness.js';

describe('referral rewards on the real database', () => {
  const h = useHarness();

  const left = async (userId: number) => {
    const sub = await h.db.repos.subscriptions.getCurrentForUser(userId);
    return sub?.endsAt ? (sub.endsAt.getTime() - h.clock.now().getTime()) / days(1) : 0;
  };

  it('first payment: the referee gets 3 bonus days, the referrer 7 (a fresh subscription when they had none)', async () => {
    const referrer = await h.user();
    const referee = await h.user({ referrerId: referrer.id });
    const plan = await h.plan({ durationDays: 30 });
    const result = await h.settle(await h.checkout(referee.id, plan.id));
    expect(result).toMatchObject({ outcome: 'settled', grantedDays: 33, referralRewarded: true });
    expect(await left(referee.id)).toBe(33);
    expect(await left(referrer.id)).toBe(7);
    expect(await h.db.repos.referralRewards.findByReferee(referee.id)).toMatchObject({
      referrerId: referrer.id,
      referrerDays: 7,
      refereeDays: 3,
    });
    const notices = (await h.drainOutbox()).filter((r) => r.kind === 'notify').map((r) => [r.payload.userId, r.payload.kind]);
    expect(notices).toEqual(
      expect.arrayContaining([
        [referrer.id, 'referral_bonus'],
        [referee.id, 'referral_welcome_bonus'],
        [referee.id, 'payment_succeeded'],
      ]),
    );

    // The second payment of the same referee rewards nobody.
    const again = await h.settle(await h.checkout(referee.id, plan.id));
    expect(again).toMatchObject({ grantedDays: 30, referralRewarded: false });
    expect(await left(referrer.id)).toBe(7);
  });

  it('race: two payments of the same referee settle at once, one reward', async () => {
    const referrer = await h.user();
    await h.billing.subscriptions.grantDays(referrer.id, 10);
    const referee = await h.user({ referrerId: referrer.id });
    const plan = await h.plan({ durationDays: 30 });
    const [a, b] = [await h.checkout(referee.id, plan.id), await h.checkout(referee.id, plan.id)];
    const results = await Promise.all([h.settle(a), h.settle(b)]);
    expect(results.filter((r) => r.outcome === 'settled' && r.referralRewarded)).toHaveLength(1);
    expect(await h.db.repos.referralRewards.listByReferrer(referrer.id)).toHaveLength(1);
    expect(await left(referrer.id)).toBe(17);
    expect(await left(referee.id)).toBe(63);
  });

  it('bonus days follow the settings; each referee rewards once, on their first payment', async () => {
    await h.db.repos.settings.set(BILLING_SETTING_KEYS.referrerBonusDays, 14);
    await h.db.repos.settings.set(BILLING_SETTING_KEYS.refereeBonusDays, 0);
    const referrer = await h.user();
    const referee = await h.user({ referrerId: referrer.id });
    const plan = await h.plan({ durationDays: 30 });
    expect(await h.settle(await h.checkout(referee.id, plan.id))).toMatchObject({ grantedDays: 30, referralRewarded: true });
    expect(await left(referrer.id)).toBe(14);

    const second = await h.user({ referrerId: referrer.id });
    expect(await h.settle(await h.checkout(second.id, plan.id))).toMatchObject({ referralRewarded: true });
    expect(await h.settle(await h.checkout(second.id, plan.id))).toMatchObject({ referralRewarded: false });
    expect(await left(referrer.id)).toBe(28);
    expect(await h.db.repos.referralRewards.listByReferrer(referrer.id)).toHaveLength(2);
  });
});
