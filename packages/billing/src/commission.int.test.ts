import { describe, expect, it } from 'vitest';
import { useHarness } from './testing/harness.js';

describe('referral commission onto the referrer balance', () => {
  const h = useHarness();
  const pair = async (mode: 'days' | 'commission' | 'both') => {
    await h.db.repos.settings.set('referral.mode', mode);
    await h.db.repos.settings.set('referral.commissionPercent', 10);
    const referrer = await h.user();
    const referee = await h.user({ referrerId: referrer.id });
    return { referrer, referee };
  };
  const noDrift = async () => expect(await h.db.repos.balances.listDrift()).toEqual([]);

  it('commission only: 10 % of every payment of the friend, once however often reported; no bonus days', async () => {
    const { referrer, referee } = await pair('commission');
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    const first = await h.checkout(referee.id, plan.id);
    const results = await Promise.all(Array.from({ length: 10 }, () => h.settle(first)));
    expect(results.filter((r) => r.outcome === 'settled')).toHaveLength(1);
    expect(await h.billing.balance.amount(referrer.id)).toBe(1_990);
    await h.settle(await h.checkout(referee.id, plan.id));
    expect(await h.billing.balance.amount(referrer.id)).toBe(3_980);
    expect(await h.db.repos.subscriptions.listByUser(referrer.id)).toEqual([]);
    expect(await h.db.repos.referralRewards.summary(referrer.id)).toEqual({ rewards: 0, days: 0 });
    const notices = (await h.drainOutbox()).filter((r) => r.payload.userId === referrer.id).map((r) => r.payload.kind);
    expect(notices).toEqual(['referral_commission', 'referral_commission']);
    await noDrift();
  });

  it('both: bonus days on the first payment and the commission; a top-up earns it, a purchase from the balance does not', async () => {
    const { referrer, referee } = await pair('both');
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    await h.settle(await h.checkout(referee.id, plan.id));
    expect(await h.billing.balance.amount(referrer.id)).toBe(1_990);
    const topUp = { userId: referee.id, provider: 'yookassa' as const, amountMinor: 50_000, idempotencyKey: 'tu' };
    await h.settle((await h.billing.balance.createTopUp(topUp)).payment);
    expect(await h.billing.balance.amount(referrer.id)).toBe(6_990);
    await h.billing.balance.payForPlan({ userId: referee.id, planId: plan.id, idempotencyKey: 'from-balance' });
    expect(await h.billing.balance.amount(referrer.id)).toBe(6_990);
    expect((await h.db.repos.referralRewards.summary(referrer.id)).rewards).toBe(1);
    await noDrift();
  });

  it('days (the default): no commission', async () => {
    const { referrer, referee } = await pair('days');
    await h.settle(await h.checkout(referee.id, (await h.plan()).id));
    expect(await h.billing.balance.amount(referrer.id)).toBe(0);
    expect((await h.db.repos.referralRewards.summary(referrer.id)).rewards).toBe(1);
  });

  it('a refund claws the commission back; spent meanwhile, what is left is taken and staff are alerted', async () => {
    const { referrer, referee } = await pair('commission');
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    const a = await h.checkout(referee.id, plan.id);
    await h.settle(a);
    await h.billing.ledger.refundPayment(a.id, { reason: 'asked' });
    expect((await h.billing.ledger.refundPayment(a.id)).changed).toBe(false);
    expect(await h.billing.balance.amount(referrer.id)).toBe(0);

    const b = await h.checkout(referee.id, plan.id);
    await h.settle(b);
    await h.billing.balance.adjust({
      userId: referrer.id,
      amountMinor: -1_000,
      reason: 'spent',
      actor: 'admin:1',
      idempotencyKey: 'spent',
    });
    await h.billing.settlement.settlePayment({ paymentId: b.id, providerStatus: 'refunded', amountMinor: b.amountMinor, currency: 'RUB' });
    expect(await h.billing.balance.amount(referrer.id)).toBe(0);
    const alerts = await h.db.repos.auditLog.list({ actionPrefix: 'alert.commission_clawback_short' });
    expect(alerts.map((e) => e.data)).toEqual([expect.objectContaining({ owedMinor: 1_990, takenMinor: 990 })]);
    await noDrift();
  });
});
