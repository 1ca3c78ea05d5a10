import { describe, expect, it } from 'vitest';
import { BILLING_SETTING_KEYS } from './domain/settings.js';
import { days, useHarness, type PendingRef } from './testing/harness.js';

/** Issue 11 item 11: a referral reward needs a first payment worth the minimum, and a refund takes it back. */
describe('referral rewards: the minimum first payment and the refund', () => {
  const h = useHarness();

  const left = async (userId: number) => {
    const sub = await h.db.repos.subscriptions.getCurrentForUser(userId);
    return sub?.endsAt ? (sub.endsAt.getTime() - h.clock.now().getTime()) / days(1) : 0;
  };
  const notices = async () =>
    (await h.drainOutbox()).filter((r) => r.kind === 'notify').map((r) => [r.payload.userId, r.payload.kind, r.payload.params]);
  const starsCheckout = async (userId: number, planId: number, promoCode?: string): Promise<PendingRef> => {
    const { payment } = await h.billing.ledger.createPendingPayment({
      userId,
      planId,
      provider: 'stars',
      idempotencyKey: `stars-${userId}-${planId}-${promoCode ?? ''}`,
      promoCode,
    });
    return { id: payment.id, amountMinor: payment.amountMinor, currency: payment.currency };
  };
  const refundReport = (pay: PendingRef) =>
    h.billing.settlement.settlePayment({
      paymentId: pay.id,
      providerStatus: 'refunded',
      amountMinor: pay.amountMinor,
      currency: pay.currency,
    });

  it('a 1-kopeck first payment (a 100 % code) earns nobody anything; the cheapest plan is the default minimum', async () => {
    const referrer = await h.user();
    const referee = await h.user({ referrerId: referrer.id });
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    await h.plan({ durationDays: 90, priceMinor: 54_900 });
    await h.db.repos.promoCodes.create({ code: 'FREE', kind: 'percent', value: 100 });
    const pay = await h.checkout(referee.id, plan.id, 'FREE');
    expect(pay.amountMinor).toBe(1);
    expect(await h.settle(pay)).toMatchObject({ outcome: 'settled', grantedDays: 30, referralRewarded: false });
    expect(await left(referrer.id)).toBe(0);
    expect(await h.db.repos.referralRewards.findByReferee(referee.id)).toBeNull();
    // The first payment was the one chance: a full-price second one is not a first payment.
    expect(await h.settle(await h.checkout(referee.id, plan.id))).toMatchObject({ referralRewarded: false });
    expect(await left(referrer.id)).toBe(0);
  });

  it('a 1-star first payment earns nothing; one at the cheapest Stars price does', async () => {
    const referrer = await h.user();
    const plan = await h.plan({ durationDays: 30, priceStars: 100 });
    await h.plan({ durationDays: 90, priceStars: 250 });
    await h.db.repos.promoCodes.create({ code: 'STARFREE', kind: 'percent', value: 100 });
    const cheap = await h.user({ referrerId: referrer.id });
    const pay = await starsCheckout(cheap.id, plan.id, 'STARFREE');
    expect(pay).toMatchObject({ amountMinor: 1, currency: 'XTR' });
    expect(await h.settle(pay)).toMatchObject({ outcome: 'settled', referralRewarded: false });
    expect(await left(referrer.id)).toBe(0);

    const honest = await h.user({ referrerId: referrer.id });
    expect(await h.settle(await starsCheckout(honest.id, plan.id))).toMatchObject({ grantedDays: 33, referralRewarded: true });
    expect(await left(referrer.id)).toBe(7);
  });

  it('the minimum follows the settings, per currency', async () => {
    await h.db.repos.settings.set(BILLING_SETTING_KEYS.referralMinFirstPaymentMinor, 20_000);
    await h.db.repos.settings.set(BILLING_SETTING_KEYS.referralMinFirstPaymentStars, 0);
    const referrer = await h.user();
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900, priceStars: 100 });
    await h.db.repos.promoCodes.create({ code: 'STARFREE', kind: 'percent', value: 100 });
    const rub = await h.user({ referrerId: referrer.id });
    expect(await h.settle(await h.checkout(rub.id, plan.id))).toMatchObject({ referralRewarded: false });
    const stars = await h.user({ referrerId: referrer.id });
    expect(await h.settle(await starsCheckout(stars.id, plan.id, 'STARFREE'))).toMatchObject({ referralRewarded: true });
  });

  it('a refund of the rewarded payment takes both bonuses back (never past now), tells both, once per duplicate webhook', async () => {
    const referrer = await h.user();
    await h.billing.subscriptions.grantDays(referrer.id, 10);
    const referee = await h.user({ referrerId: referrer.id });
    const plan = await h.plan({ durationDays: 30 });
    const pay = await h.checkout(referee.id, plan.id);
    expect(await h.settle(pay)).toMatchObject({ grantedDays: 33, referralRewarded: true });
    expect(await left(referrer.id)).toBe(17);
    await h.drainOutbox();

    h.clock.advanceHours(24);
    const outcomes = [(await refundReport(pay)).outcome, (await refundReport(pay)).outcome, (await refundReport(pay)).outcome];
    expect(outcomes[0]).toBe('refunded');
    expect(await h.billing.ledger.refundPayment(pay.id)).toMatchObject({ changed: false });
    // Referrer: 17 − 1 used − 7 = 9 left; referee: 32 left − 33 → ends now (never before).
    expect(await left(referrer.id)).toBe(9);
    expect(await h.db.repos.subscriptions.getLatestForUser(referee.id)).toMatchObject({ status: 'cancelled', endsAt: h.clock.now() });
    const sent = await notices();
    expect(sent).toEqual(
      expect.arrayContaining([
        [referrer.id, 'referral_bonus_revoked', { days: 7 }],
        [referee.id, 'referral_welcome_bonus_revoked', { days: 3 }],
      ]),
    );
    expect(sent.filter(([, kind]) => kind === 'referral_bonus_revoked')).toHaveLength(1);
    expect(await h.db.repos.referralRewards.findByReferee(referee.id)).toMatchObject({ revokedAt: expect.any(Date) });
    expect(await h.db.repos.referralRewards.summary(referrer.id)).toEqual({ rewards: 0, days: 0 });
    const history = await h.db.repos.subscriptionEvents.listBySubscription(
      (await h.db.repos.subscriptions.getCurrentForUser(referrer.id))!.id,
    );
    expect(history.filter((e) => e.kind === 'referral_revoked')).toHaveLength(1);
  });

  it('a referrer whose bonus is mostly used keeps what was used: the cut stops at now', async () => {
    const referrer = await h.user();
    const referee = await h.user({ referrerId: referrer.id });
    const plan = await h.plan({ durationDays: 30 });
    const pay = await h.checkout(referee.id, plan.id);
    await h.settle(pay);
    expect(await left(referrer.id)).toBe(7);
    h.clock.advanceHours(5 * 24);
    expect((await h.billing.ledger.refundPayment(pay.id)).changed).toBe(true);
    expect(await h.db.repos.subscriptions.getLatestForUser(referrer.id)).toMatchObject({ status: 'cancelled', endsAt: h.clock.now() });
    expect(await left(referee.id)).toBe(0);
  });

  it('a refund of a later payment leaves the reward alone', async () => {
    const referrer = await h.user();
    const referee = await h.user({ referrerId: referrer.id });
    const plan = await h.plan({ durationDays: 30 });
    await h.settle(await h.checkout(referee.id, plan.id));
    const second = await h.checkout(referee.id, plan.id);
    await h.settle(second);
    await h.drainOutbox();
    await refundReport(second);
    expect(await left(referrer.id)).toBe(7);
    expect(await left(referee.id)).toBe(33);
    expect((await notices()).map(([, kind]) => kind)).toEqual(['payment_refunded']);
  });

  it('mode both: a refund reported twice claws the commission and the bonus days back once', async () => {
    await h.db.repos.settings.set(BILLING_SETTING_KEYS.referralMode, 'both');
    const referrer = await h.user();
    const referee = await h.user({ referrerId: referrer.id });
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    const pay = await h.checkout(referee.id, plan.id);
    await h.settle(pay);
    expect([await left(referrer.id), await h.billing.balance.amount(referrer.id)]).toEqual([7, 1_990]);
    await Promise.all([refundReport(pay), refundReport(pay)]);
    expect([await left(referrer.id), await h.billing.balance.amount(referrer.id)]).toEqual([0, 0]);
    expect(await h.db.repos.balances.listDrift()).toEqual([]);
  });
});
