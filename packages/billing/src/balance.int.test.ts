import { describe, expect, it } from 'vitest';
import { errorCode, useHarness } from './testing/harness.js';

describe('customer balance on the real database', () => {
  const h = useHarness();
  let keys = 0;
  const adjust = (userId: number, amountMinor: number, key = `k${++keys}`) =>
    h.billing.balance.adjust({ userId, amountMinor, reason: 'test', actor: 'admin:1', idempotencyKey: key });
  const topUp = async (userId: number, amountMinor = 50_000) =>
    (await h.billing.balance.createTopUp({ userId, provider: 'yookassa', amountMinor, idempotencyKey: `tu-${++keys}` })).payment;
  const paid = (p: { id: string; amountMinor: number; currency: string }) => ({
    paymentId: p.id,
    providerStatus: 'succeeded' as const,
    amountMinor: p.amountMinor,
    currency: p.currency,
  });
  /** The cached sums agree with their entries. */
  const noDrift = async () => expect(await h.db.repos.balances.listDrift()).toEqual([]);

  it('keeps entries with running totals and a cached sum; a repeated key adjusts once', async () => {
    const user = await h.user();
    expect(await h.billing.balance.amount(user.id)).toBe(0);
    await adjust(user.id, 10_000, 'a');
    expect((await adjust(user.id, 10_000, 'a')).changed).toBe(false);
    await adjust(user.id, -2_500);
    expect(await h.billing.balance.amount(user.id)).toBe(7_500);
    const entries = await h.billing.balance.entries(user.id);
    expect(entries.map((e) => [e.kind, e.amountMinor, e.balanceAfterMinor])).toEqual([
      ['adjustment', -2_500, 7_500],
      ['adjustment', 10_000, 10_000],
    ]);
    await noDrift();
  });

  it('never goes negative: a debit beyond the balance is refused, and so is a direct write', async () => {
    const user = await h.user();
    await adjust(user.id, 1_000);
    expect(await errorCode(adjust(user.id, -1_001))).toBe('INSUFFICIENT_BALANCE');
    expect(await h.billing.balance.amount(user.id)).toBe(1_000);
    await expect(h.db.sequelize.query(`UPDATE balances SET amount_minor = -1 WHERE user_id = ${user.id}`)).rejects.toThrow(
      /balances_not_negative/,
    );
    await noDrift();
  });

  it('ten debits at once from a balance that covers three: three pass, none overdraws', async () => {
    const user = await h.user();
    await adjust(user.id, 10_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => errorCode(adjust(user.id, -3_000))));
    expect(results.filter((r) => r === 'resolved')).toHaveLength(3);
    expect(results.filter((r) => r === 'INSUFFICIENT_BALANCE')).toHaveLength(7);
    expect(await h.billing.balance.amount(user.id)).toBe(1_000);
    await noDrift();
  });

  it('a top-up within the limits of the settings; outside them, or with Stars, refused', async () => {
    const user = await h.user();
    const { minMinor, maxMinor, presetsMinor, currency } = await h.billing.balance.topUpOptions();
    expect(currency).toBe('RUB');
    expect(presetsMinor.length).toBeGreaterThan(0);
    expect(await errorCode(topUp(user.id, minMinor - 1))).toBe('AMOUNT_OUT_OF_RANGE');
    expect(await errorCode(topUp(user.id, maxMinor + 1))).toBe('AMOUNT_OUT_OF_RANGE');
    await h.db.repos.settings.set('balance.topUpMinMinor', 100);
    expect((await topUp(user.id, 100)).amountMinor).toBe(100);
    expect(
      await errorCode(h.billing.balance.createTopUp({ userId: user.id, provider: 'stars', amountMinor: 50_000, idempotencyKey: 's' })),
    ).toBe('INVALID_INPUT');
  });

  it('a top-up notification ten times in a row credits once', async () => {
    const user = await h.user();
    const pay = await topUp(user.id);
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) outcomes.push((await h.billing.settlement.settlePayment(paid(pay))).outcome);
    expect(outcomes).toEqual(['credited', ...Array<string>(9).fill('already_settled')]);
    expect(await h.billing.balance.amount(user.id)).toBe(50_000);
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toHaveLength(0);
    const rows = await h.drainOutbox();
    expect(rows.map((r) => r.dedupeKey)).toEqual([`notify:${user.id}:balance_topped_up:${pay.id}`]);
    expect(rows[0]!.payload).toMatchObject({ params: { amountMinor: 50_000, currency: 'RUB', balanceMinor: 50_000 } });
  });

  it('ten top-up notifications at once (separate transactions) credit once', async () => {
    const user = await h.user();
    await adjust(user.id, 1_000);
    const pay = await topUp(user.id);
    const results = await Promise.all(Array.from({ length: 10 }, () => h.billing.settlement.settlePayment(paid(pay))));
    expect(results.filter((r) => r.outcome === 'credited')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already_settled')).toHaveLength(9);
    expect(await h.billing.balance.amount(user.id)).toBe(51_000);
    expect((await h.billing.balance.entries(user.id)).filter((e) => e.kind === 'top_up')).toHaveLength(1);
    await noDrift();
  });

  it('a worker killed mid-way loses nothing: the crash rolls back, the retry credits once', async () => {
    const user = await h.user();
    const pay = await topUp(user.id);
    const crashing = h.billingWith({
      beforeSettlementCommit: () => {
        throw new Error('worker killed');
      },
    });
    await expect(crashing.settlement.settlePayment(paid(pay))).rejects.toThrow('worker killed');
    expect((await h.db.repos.payments.get(pay.id))!.status).toBe('pending');
    expect(await h.billing.balance.amount(user.id)).toBe(0);
    expect(await h.drainOutbox()).toHaveLength(0);
    expect((await h.billing.settlement.settlePayment(paid(pay))).outcome).toBe('credited');
    expect((await h.billing.settlement.settlePayment(paid(pay))).outcome).toBe('already_settled');
    expect(await h.billing.balance.amount(user.id)).toBe(50_000);
    await noDrift();
  });

  it('a refunded top-up leaves the balance; spent meanwhile, what is left is taken and staff are alerted', async () => {
    const user = await h.user();
    const a = await topUp(user.id, 30_000);
    await h.billing.settlement.settlePayment(paid(a));
    expect((await h.billing.settlement.settlePayment({ ...paid(a), providerStatus: 'refunded' })).outcome).toBe('refunded');
    expect(await h.billing.balance.amount(user.id)).toBe(0);

    const b = await topUp(user.id, 30_000);
    await h.billing.settlement.settlePayment(paid(b));
    await adjust(user.id, -20_000);
    await h.billing.ledger.refundPayment(b.id, { reason: 'chargeback' });
    expect((await h.billing.ledger.refundPayment(b.id)).changed).toBe(false);
    expect(await h.billing.balance.amount(user.id)).toBe(0);
    const alerts = await h.db.repos.auditLog.list({ actionPrefix: 'alert.balance_refund_shortfall' });
    expect(alerts.map((a) => a.data)).toEqual([expect.objectContaining({ owedMinor: 30_000, takenMinor: 10_000 })]);
    await noDrift();
  });
});
