import { describe, expect, it } from 'vitest';
import { days, errorCode, useHarness } from './testing/harness.js';

describe('paying for a plan from the balance on the real database', () => {
  const h = useHarness();
  let keys = 0;
  const credit = (userId: number, amountMinor: number) =>
    h.billing.balance.adjust({ userId, amountMinor, reason: 'test', actor: 'admin:1', idempotencyKey: `c${++keys}` });
  const fromBalance = (userId: number, planId: number, key = `b${++keys}`) =>
    h.billing.balance.payForPlan({ userId, planId, idempotencyKey: key });
  const mixed = async (userId: number, planId: number, balanceMinor: number) => {
    const { payment } = await h.billing.ledger.createPendingPayment({
      userId,
      planId,
      provider: 'yookassa',
      idempotencyKey: `m${++keys}`,
      balanceMinor,
    });
    return payment;
  };
  const paid = (p: { id: string; amountMinor: number; currency: string }) => ({
    paymentId: p.id,
    providerStatus: 'succeeded' as const,
    amountMinor: p.amountMinor,
    currency: p.currency,
  });
  const remainingDays = async (userId: number) => {
    const sub = await h.db.repos.subscriptions.getCurrentForUser(userId);
    return sub?.endsAt ? (sub.endsAt.getTime() - h.clock.now().getTime()) / days(1) : 0;
  };
  const noDrift = async () => expect(await h.db.repos.balances.listDrift()).toEqual([]);

  it('buys a plan with the balance alone: debit and extension in one go, once per key', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    await credit(user.id, 25_000);
    const result = await fromBalance(user.id, plan.id, 'same');
    expect(result).toMatchObject({ outcome: 'settled', grantedDays: 30 });
    expect((await fromBalance(user.id, plan.id, 'same')).outcome).toBe('already_settled');
    expect(await h.billing.balance.amount(user.id)).toBe(5_100);
    expect(await remainingDays(user.id)).toBe(30);
    expect(result.payment).toMatchObject({ provider: 'balance', status: 'succeeded', amountMinor: 19_900 });
    const rows = await h.drainOutbox();
    expect(rows.map((r) => r.kind)).toEqual(['provision', 'notify']);
    await noDrift();
  });

  it('ten purchases at once from a balance that covers three: three bought, seven refused, never overdrawn', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30, priceMinor: 10_000 });
    await credit(user.id, 35_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => errorCode(fromBalance(user.id, plan.id))));
    expect(results.filter((r) => r === 'resolved')).toHaveLength(3);
    expect(results.filter((r) => r === 'INSUFFICIENT_BALANCE')).toHaveLength(7);
    expect(await h.billing.balance.amount(user.id)).toBe(5_000);
    expect(await remainingDays(user.id)).toBe(90);
    const payments = await h.db.repos.payments.listByUser(user.id);
    expect(payments.filter((p) => p.status === 'succeeded')).toHaveLength(3);
    // The refused ones leave no pending payment behind.
    expect(payments.filter((p) => p.status === 'cancelled')).toHaveLength(7);
    await noDrift();
  });

  it('a crash before the purchase commits takes nothing from the balance; the retry buys once', async () => {
    const user = await h.user();
    const plan = await h.plan({ priceMinor: 10_000 });
    await credit(user.id, 10_000);
    const crashing = h.billingWith({
      beforeSettlementCommit: () => {
        throw new Error('worker killed');
      },
    });
    await expect(crashing.balance.payForPlan({ userId: user.id, planId: plan.id, idempotencyKey: 'crash' })).rejects.toThrow(
      'worker killed',
    );
    expect(await h.billing.balance.amount(user.id)).toBe(10_000);
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toHaveLength(0);
    expect((await fromBalance(user.id, plan.id, 'crash')).outcome).toBe('settled');
    expect(await h.billing.balance.amount(user.id)).toBe(0);
    await noDrift();
  });

  it('balance plus a provider for the difference: the provider is asked for the rest, the balance part is debited at settlement', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    await credit(user.id, 5_000);
    const pay = await mixed(user.id, plan.id, 5_000);
    expect(pay).toMatchObject({ amountMinor: 14_900, metadata: expect.objectContaining({ balanceMinor: 5_000 }) as unknown });
    expect(await errorCode(mixed(user.id, plan.id, 19_900))).toBe('INVALID_INPUT');
    const results = await Promise.all(Array.from({ length: 10 }, () => h.billing.settlement.settlePayment(paid(pay))));
    expect(results.filter((r) => r.outcome === 'settled')).toHaveLength(1);
    expect(await h.billing.balance.amount(user.id)).toBe(0);
    expect(await remainingDays(user.id)).toBe(30);
    await noDrift();
  });

  it('a mixed payment whose balance part was spent meanwhile buys nothing: what was paid goes onto the balance', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    await credit(user.id, 5_000);
    const pay = await mixed(user.id, plan.id, 5_000);
    await h.billing.balance.adjust({ userId: user.id, amountMinor: -1_000, reason: 'spent', actor: 'admin:1', idempotencyKey: 'spent' });
    await h.drainOutbox();
    expect(await h.billing.settlement.settlePayment(paid(pay))).toMatchObject({ outcome: 'credited', why: 'balance_short' });
    expect(await h.billing.balance.amount(user.id)).toBe(4_000 + 14_900);
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toHaveLength(0);
    expect((await h.drainOutbox()).map((r) => r.payload.kind)).toEqual(['balance_short']);
    await noDrift();
  });

  it('refunds go back to the balance: a balance-paid plan whole, a mixed one its balance part', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30, priceMinor: 10_000 });
    await credit(user.id, 15_000);
    const a = await fromBalance(user.id, plan.id);
    expect(await h.billing.balance.amount(user.id)).toBe(5_000);
    await h.billing.ledger.refundPayment(a.payment.id, { reason: 'asked' });
    expect(await h.billing.balance.amount(user.id)).toBe(15_000);
    expect(await remainingDays(user.id)).toBe(0);

    const b = await mixed(user.id, plan.id, 4_000);
    await h.billing.settlement.settlePayment(paid(b));
    expect(await h.billing.balance.amount(user.id)).toBe(11_000);
    // The provider refunds its 60 ₽; the 40 ₽ from the balance come back to it.
    await h.billing.settlement.settlePayment({ ...paid(b), providerStatus: 'refunded' });
    expect(await h.billing.balance.amount(user.id)).toBe(15_000);
    expect((await h.billing.ledger.refundPayment(b.id)).changed).toBe(false);
    expect(await h.billing.balance.amount(user.id)).toBe(15_000);
    await noDrift();
  });
});
