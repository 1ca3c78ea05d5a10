import { describe, expect, it } from 'vitest';
import { days, useHarness, type PendingRef } from './testing/harness.js';

describe('late success: money the provider confirms for a payment we closed', () => {
  const h = useHarness();

  const succeeded = (p: PendingRef, extra: { eventId?: number } = {}) => ({
    paymentId: p.id,
    providerStatus: 'succeeded' as const,
    amountMinor: p.amountMinor,
    currency: p.currency,
    ...extra,
  });
  const lateAudits = async (paymentId: string) =>
    (await h.db.repos.auditLog.list({ entity: 'payment', entityId: paymentId })).filter((e) => e.action === 'payment.late_success');

  it('cancelled by the customer, then paid: settled once (however often and however concurrently reported), on record', async () => {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30 });
    const pay = await h.checkout(user.id, plan.id);
    await h.billing.ledger.cancelPayment(pay.id, 'cancelled_by_customer');
    expect(await h.drainOutbox()).toHaveLength(0);

    const first = await h.billing.settlement.settlePayment(succeeded(pay));
    expect(first).toMatchObject({ outcome: 'settled', lateSuccess: true, grantedDays: 30 });
    // Duplicates of the late success: in a row and at once.
    const again = [await h.billing.settlement.settlePayment(succeeded(pay)), await h.billing.settlement.settlePayment(succeeded(pay))];
    const burst = await Promise.all(Array.from({ length: 6 }, () => h.billing.settlement.settlePayment(succeeded(pay))));
    expect([...again, ...burst].map((r) => r.outcome)).toEqual(Array<string>(8).fill('already_settled'));

    const payment = await h.db.repos.payments.get(pay.id);
    expect(payment).toMatchObject({
      status: 'succeeded',
      failureReason: null,
      metadata: { lateSuccess: { from: 'cancelled', failureReason: 'cancelled_by_customer' } },
    });
    const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(sub).toMatchObject({ status: 'active', version: 1 });
    expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(30));
    expect(await h.db.repos.subscriptionEvents.listByPayment(pay.id)).toHaveLength(1);
    const rows = await h.drainOutbox();
    expect(rows.map((r) => r.payload.kind ?? r.kind)).toEqual(['provision', 'payment_succeeded']);
    const audits = await lateAudits(pay.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorKind: 'system',
      data: { from: 'cancelled', failureReason: 'cancelled_by_customer', grantedDays: 30, userId: user.id },
    });
  });

  it('declined by the provider, then paid on the same link: the customer is told both, access once', async () => {
    const user = await h.user();
    const plan = await h.plan();
    const pay = await h.checkout(user.id, plan.id);
    const { event } = await h.db.repos.paymentEvents.insertOnce({
      provider: 'yookassa',
      providerEventId: 'paid-late',
      kind: 'payment.succeeded',
      rawPayload: {},
    });
    expect(
      await h.billing.settlement.settlePayment({ ...succeeded(pay), providerStatus: 'failed', reason: 'InsufficientFunds' }),
    ).toMatchObject({ outcome: 'failed' });
    expect((await h.drainOutbox()).map((r) => r.payload.kind)).toEqual(['payment_failed']);

    expect(await h.billing.settlement.settlePayment(succeeded(pay, { eventId: event.id }))).toMatchObject({
      outcome: 'settled',
      lateSuccess: true,
    });
    expect(await h.billing.settlement.settlePayment({ ...succeeded(pay), providerStatus: 'failed' })).toMatchObject({
      outcome: 'already_settled',
      conflict: false,
    });
    expect((await h.drainOutbox()).map((r) => r.payload.kind ?? r.kind)).toEqual(['provision', 'payment_succeeded']);
    expect((await h.db.repos.paymentEvents.get(event.id))?.processedAt).toBeInstanceOf(Date);
    expect((await lateAudits(pay.id))[0]?.data).toMatchObject({ from: 'failed', failureReason: 'InsufficientFunds', eventId: event.id });
  });

  it('a crash before the late success commits leaves it closed; the retry settles it once', async () => {
    const user = await h.user();
    const plan = await h.plan();
    const pay = await h.checkout(user.id, plan.id);
    await h.billing.ledger.cancelPayment(pay.id, 'provider_timeout');
    const crashing = h.billingWith({ beforeSettlementCommit: () => Promise.reject(new Error('worker killed')) });
    await expect(crashing.settlement.settlePayment(succeeded(pay))).rejects.toThrow('worker killed');
    expect(await h.db.repos.payments.get(pay.id)).toMatchObject({ status: 'cancelled', failureReason: 'provider_timeout' });
    expect(await lateAudits(pay.id)).toHaveLength(0);
    expect(await h.drainOutbox()).toHaveLength(0);

    expect(await h.billing.settlement.settlePayment(succeeded(pay))).toMatchObject({ outcome: 'settled', lateSuccess: true });
    expect(await h.billing.settlement.settlePayment(succeeded(pay))).toMatchObject({ outcome: 'already_settled' });
    expect(await lateAudits(pay.id)).toHaveLength(1);
    expect((await h.drainOutbox()).filter((r) => r.kind === 'provision')).toHaveLength(1);
  });

  it('a late report with another amount, or for a refunded payment, changes nothing', async () => {
    const user = await h.user();
    const plan = await h.plan();
    const pay = await h.checkout(user.id, plan.id);
    await h.billing.ledger.cancelPayment(pay.id, 'cancelled_by_customer');
    expect(await h.billing.settlement.settlePayment({ ...succeeded(pay), amountMinor: 100 })).toMatchObject({
      outcome: 'already_settled',
      conflict: true,
    });
    expect(await h.db.repos.payments.get(pay.id)).toMatchObject({ status: 'cancelled', failureReason: 'cancelled_by_customer' });

    const paid = await h.checkout(user.id, plan.id);
    await h.billing.settlement.settlePayment(succeeded(paid));
    await h.billing.ledger.refundPayment(paid.id, { reason: 'asked' });
    expect(await h.billing.settlement.settlePayment(succeeded(paid))).toMatchObject({ outcome: 'already_settled', conflict: false });
    expect((await h.db.repos.payments.get(paid.id))?.status).toBe('refunded');
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toHaveLength(1);
    expect(await lateAudits(pay.id)).toHaveLength(0);
  });
});
