import { describe, expect, it } from 'vitest';
import { days, errorCode, useHarness } from './testing/harness.js';

describe('settlePayment on the real database', () => {
  const h = useHarness();

  const succeeded = (p: { id: string; amountMinor: number; currency: string }) => ({
    paymentId: p.id,
    providerStatus: 'succeeded' as const,
    amountMinor: p.amountMinor,
    currency: p.currency,
  });

  it('creates the subscription, provisioning and a notice in one go', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30, priceMinor: 29_900 });
    const pay = await h.checkout(user.id, plan.id);
    const result = await h.billing.settlement.settlePayment(succeeded(pay));
    expect(result).toMatchObject({ outcome: 'settled', grantedDays: 30 });
    const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(sub).toMatchObject({ status: 'active', planId: plan.id, isTrial: false, version: 1 });
    expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(30));
    const payment = await h.db.repos.payments.get(pay.id);
    expect(payment).toMatchObject({ status: 'succeeded', metadata: { settlement: { subscriptionId: sub!.id, grantedDays: 30 } } });
    const rows = await h.drainOutbox();
    expect(rows.map((r) => [r.kind, r.dedupeKey])).toEqual([
      ['provision', `provision:sub:${sub!.id}:v1`],
      ['notify', `notify:${user.id}:payment_succeeded:${pay.id}`],
    ]);
    expect(rows[0]!.payload).toEqual({ subscriptionId: sub!.id, version: 1, reason: 'purchase' });
    expect(rows[1]!.payload).toMatchObject({
      userId: user.id,
      kind: 'payment_succeeded',
      reference: pay.id,
      params: { amountMinor: 29_900, currency: 'RUB', days: 30, keyKept: false },
    });
    const events = await h.db.repos.subscriptionEvents.listByPayment(pay.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'purchase', fromStatus: null, toStatus: 'active' });
  });

  it('a payment for a customer who already has the subscription (after the trial, a renewal) says the key is kept: no new link comes', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30, priceMinor: 29_900 });
    await h.billing.trial.startTrial(user.id);
    await h.drainOutbox();
    const pay = await h.checkout(user.id, plan.id);
    await h.billing.settlement.settlePayment(succeeded(pay));
    const notice = (await h.drainOutbox()).find((r) => r.payload.kind === 'payment_succeeded');
    expect(notice?.payload).toMatchObject({ params: { keyKept: true } });
  });

  it('the same notification 10 times in a row settles once', async () => {
    const user = await h.user();
    const plan = await h.plan();
    const pay = await h.checkout(user.id, plan.id);
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) outcomes.push((await h.billing.settlement.settlePayment(succeeded(pay))).outcome);
    expect(outcomes).toEqual(['settled', ...Array<string>(9).fill('already_settled')]);
    const subs = await h.db.repos.subscriptions.listByUser(user.id);
    expect(subs).toHaveLength(1);
    expect(subs[0]!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(30));
    expect(subs[0]!.version).toBe(1);
    expect((await h.drainOutbox()).filter((r) => r.kind === 'provision')).toHaveLength(1);
  });

  it('10 deliveries at once (separate connections and transactions) settle once', async () => {
    const user = await h.user();
    const plan = await h.plan();
    // A running subscription: each double extension would show as 30 more days.
    await h.billing.subscriptions.grantDays(user.id, 10);
    await h.drainOutbox();
    const pay = await h.checkout(user.id, plan.id);
    const results = await Promise.all(Array.from({ length: 10 }, () => h.billing.settlement.settlePayment(succeeded(pay))));
    expect(results.filter((r) => r.outcome === 'settled')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already_settled')).toHaveLength(9);
    const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(40));
    expect(sub!.version).toBe(2);
    const rows = await h.drainOutbox();
    expect(rows.filter((r) => r.kind === 'provision').map((r) => r.dedupeKey)).toEqual([`provision:sub:${sub!.id}:v2`]);
    expect(rows.filter((r) => r.kind === 'notify')).toHaveLength(1);
  });

  it('a crash inside the transaction after extending rolls everything back; the retry settles once', async () => {
    const user = await h.user();
    const plan = await h.plan();
    const pay = await h.checkout(user.id, plan.id);
    const crashing = h.billingWith({
      beforeSettlementCommit: () => {
        throw new Error('worker killed');
      },
    });
    await expect(crashing.settlement.settlePayment(succeeded(pay))).rejects.toThrow('worker killed');
    expect((await h.db.repos.payments.get(pay.id))!.status).toBe('pending');
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toHaveLength(0);
    expect(await h.drainOutbox()).toHaveLength(0);

    expect((await h.billing.settlement.settlePayment(succeeded(pay))).outcome).toBe('settled');
    // A crash after the commit (the job is retried): the retry sees `succeeded` under the lock.
    expect((await h.billing.settlement.settlePayment(succeeded(pay))).outcome).toBe('already_settled');
    const subs = await h.db.repos.subscriptions.listByUser(user.id);
    expect(subs).toHaveLength(1);
    expect(subs[0]!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(30));
    expect((await h.drainOutbox()).filter((r) => r.kind === 'provision')).toHaveLength(1);
  });

  it.each([
    ['AMOUNT_MISMATCH', { amountMinor: 100 }],
    ['CURRENCY_MISMATCH', { currency: 'USD' }],
  ])('%s: rejected, payment failed with the reason, nothing granted', async (code, patch) => {
    const user = await h.user();
    const plan = await h.plan();
    const pay = await h.checkout(user.id, plan.id);
    const result = await h.billing.settlement.settlePayment({ ...succeeded(pay), ...patch });
    expect(result).toMatchObject({ outcome: 'rejected', code });
    expect(await h.db.repos.payments.get(pay.id)).toMatchObject({ status: 'failed', failureReason: code.toLowerCase() });
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toHaveLength(0);
    const rows = await h.drainOutbox();
    expect(rows.map((r) => r.payload.kind)).toEqual(['payment_failed']);
    // The correct notification afterwards cannot resurrect it, and is flagged for staff.
    expect(await h.billing.settlement.settlePayment(succeeded(pay))).toMatchObject({ outcome: 'already_settled', conflict: true });
  });

  it('refuses an unknown payment, a foreign provider and bad input, changing nothing', async () => {
    const user = await h.user();
    const plan = await h.plan();
    const pay = await h.checkout(user.id, plan.id);
    expect(
      await errorCode(h.billing.settlement.settlePayment({ ...succeeded(pay), paymentId: '00000000-0000-4000-8000-000000000000' })),
    ).toBe('PAYMENT_NOT_FOUND');
    expect(
      await errorCode(
        h.billing.settlement.settlePayment({ ...succeeded(pay), paymentId: undefined, provider: 'wata', externalId: 'nope' }),
      ),
    ).toBe('PAYMENT_NOT_FOUND');
    expect(await errorCode(h.billing.settlement.settlePayment({ ...succeeded(pay), provider: 'cryptopay' }))).toBe('PAYMENT_NOT_FOUND');
    expect(await errorCode(h.billing.settlement.settlePayment({ ...succeeded(pay), amountMinor: 1.5 }))).toBe('INVALID_INPUT');
    expect((await h.db.repos.payments.get(pay.id))!.status).toBe('pending');
    expect(await h.drainOutbox()).toHaveLength(0);
  });

  it('settles by provider + external id, marks the payment event processed, saves the method for auto-renew', async () => {
    const user = await h.user();
    const plan = await h.plan();
    const pay = await h.checkout(user.id, plan.id);
    await h.billing.ledger.attachExternal(pay.id, { externalId: 'yk-1' });
    const { event } = await h.db.repos.paymentEvents.insertOnce({
      provider: 'yookassa',
      providerEventId: 'ev-1',
      kind: 'payment.succeeded',
      rawPayload: {},
    });
    const result = await h.billing.settlement.settlePayment({
      provider: 'yookassa',
      externalId: 'yk-1',
      providerStatus: 'succeeded',
      amountMinor: pay.amountMinor,
      currency: 'RUB',
      eventId: event.id,
      savedPaymentMethodId: 'pm-1',
    });
    expect(result.outcome).toBe('settled');
    expect(await h.db.repos.paymentEvents.get(event.id)).toMatchObject({ paymentId: pay.id, processedAt: expect.any(Date) as Date });
    expect(await h.db.repos.subscriptions.getCurrentForUser(user.id)).toMatchObject({
      autoRenew: true,
      savedPaymentMethodId: 'pm-1',
      savedPaymentProvider: 'yookassa',
    });
  });

  it('extends a running subscription from its end and an expired one from now (invariant 4)', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30 });
    await h.billing.settlement.settlePayment(succeeded(await h.checkout(user.id, plan.id)));
    h.clock.advanceHours(24 * 10);
    await h.billing.settlement.settlePayment(succeeded(await h.checkout(user.id, plan.id)));
    let sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(50));
    h.clock.advanceHours(24 * 60);
    expect(await h.billing.subscriptions.expireDue()).toBe(1);
    await h.billing.settlement.settlePayment(succeeded(await h.checkout(user.id, plan.id)));
    sub = await h.db.repos.subscriptions.getLatestForUser(user.id);
    expect(sub).toMatchObject({ status: 'active', startsAt: h.clock.now() });
    expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(30));
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toHaveLength(1);
  });

  it('a failed or cancelled report closes the payment; a refund takes the days back', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30 });
    const a = await h.checkout(user.id, plan.id);
    expect((await h.billing.settlement.settlePayment({ ...succeeded(a), providerStatus: 'pending' })).outcome).toBe('pending');
    expect((await h.billing.settlement.settlePayment({ ...succeeded(a), providerStatus: 'cancelled' })).outcome).toBe('cancelled');
    expect(await h.drainOutbox()).toHaveLength(0); // an abandoned checkout is silent

    await h.billing.subscriptions.grantDays(user.id, 5);
    const b = await h.checkout(user.id, plan.id);
    await h.billing.settlement.settlePayment(succeeded(b));
    await h.drainOutbox();
    expect((await h.billing.settlement.settlePayment({ ...succeeded(b), providerStatus: 'refunded' })).outcome).toBe('refunded');
    const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(5));
    expect(sub!.autoRenew).toBe(false);
    expect((await h.drainOutbox()).map((r) => r.payload.kind ?? r.kind)).toEqual(['provision', 'payment_refunded']);
    expect((await h.billing.ledger.refundPayment(b.id)).changed).toBe(false);
  });
});
