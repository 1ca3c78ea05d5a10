import { describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../testing/worker-harness.js';

const h = useWorkerHarness();
const DAY = 86_400_000;

describe('daily reconciliation of closed payments with the providers', () => {
  it('settles late successes, refunds what the provider refunded, reports the rest, and changes nothing on a rerun', async () => {
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30 });
    const status = async (id: string) => (await h.db.repos.payments.get(id))?.status;
    const settle = async (paymentId: string) => {
      const p = (await h.db.repos.payments.get(paymentId))!;
      return h.billing.settlement.settlePayment({
        paymentId,
        providerStatus: 'succeeded',
        amountMinor: p.amountMinor,
        currency: p.currency,
      });
    };

    // Cancelled in the bot, then paid on the YooKassa page anyway (the notification never came).
    const cancelledPaid = await h.checkout(user, plan, 'yookassa');
    await h.billing.ledger.cancelPayment(cancelledPaid.paymentId, 'cancelled_by_customer');
    h.yookassa.pay(cancelledPaid.externalId);
    // WATA declined an attempt (we failed the payment), the next attempt on the same link paid.
    const declinedPaid = await h.checkout(user, plan, 'wata');
    h.wata.decline(declinedPaid.paymentId);
    await h.billing.settlement.settlePayment({
      paymentId: declinedPaid.paymentId,
      providerStatus: 'failed',
      amountMinor: plan.priceMinor,
      currency: plan.currency,
      reason: 'InsufficientFunds',
    });
    h.wata.pay(declinedPaid.paymentId);
    // Paid and settled, then refunded in the YooKassa dashboard (we never heard of the refund).
    const refunded = await h.checkout(user, plan, 'yookassa');
    h.yookassa.pay(refunded.externalId);
    await settle(refunded.paymentId);
    await h.payments.get('yookassa').refund({
      externalId: refunded.externalId,
      amountMinor: plan.priceMinor,
      idempotencyKey: `refund-${refunded.paymentId}`,
      currency: plan.currency,
      customer: { telegramId: user.telegramId, email: 'r@vpn.example' },
    });
    // Agreed: paid and settled; cancelled and never paid.
    const agreed = await h.cryptoCheckout(user, plan);
    h.cryptoPay.pay(agreed.invoiceId);
    await settle(agreed.paymentId);
    const abandoned = await h.checkout(user, plan, 'yookassa');
    await h.billing.ledger.cancelPayment(abandoned.paymentId, 'cancelled_by_customer');
    // Succeeded with us, but the provider never took the money: for a human.
    const phantom = await h.checkout(user, plan, 'yookassa');
    await settle(phantom.paymentId);
    const endsBefore = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!.endsAt!.getTime();

    const day = new Date().toISOString().slice(0, 10);
    const run = async () => {
      const job = await h.producers.reconcilePayments.add({ day });
      await h.until(async () => (await job.getState()) === 'completed', 15_000, 'the reconciliation run');
    };
    await run();
    await h.until(
      async () =>
        (await status(cancelledPaid.paymentId)) === 'succeeded' &&
        (await status(declinedPaid.paymentId)) === 'succeeded' &&
        (await status(refunded.paymentId)) === 'refunded',
      10_000,
      'the findings settled',
    );
    expect((await h.db.repos.payments.get(cancelledPaid.paymentId))?.metadata.lateSuccess).toMatchObject({ from: 'cancelled' });
    expect((await h.db.repos.payments.get(declinedPaid.paymentId))?.metadata.lateSuccess).toMatchObject({
      from: 'failed',
      failureReason: 'InsufficientFunds',
    });
    expect(await status(phantom.paymentId)).toBe('succeeded');
    expect(await status(abandoned.paymentId)).toBe('cancelled');
    // Two late successes of 30 days, one refund of 30 days taken back.
    const endsAfter = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!.endsAt!.getTime();
    expect(Math.round((endsAfter - endsBefore) / DAY)).toBe(30);

    const [audit] = await h.db.repos.auditLog.list({ entity: 'reconciliation', entityId: day });
    expect(audit).toMatchObject({
      action: 'payments.reconciled',
      data: {
        day,
        checked: 6,
        agreed: 2,
        lateSuccess: 2,
        refunded: 1,
        disagreements: 1,
        unreadable: 0,
        refundedIds: [refunded.paymentId],
        disagreementsList: [{ paymentId: phantom.paymentId, ours: 'succeeded', provider: 'pending' }],
      },
    });
    expect((audit!.data.lateSuccessIds as string[]).sort()).toEqual([cancelledPaid.paymentId, declinedPaid.paymentId].sort());

    await run();
    const [again] = await h.db.repos.auditLog.list({ entity: 'reconciliation', entityId: day });
    expect(again!.id).not.toBe(audit!.id);
    expect(again!.data).toMatchObject({ checked: 5, lateSuccess: 0, refunded: 0, disagreements: 1 });
    expect((await h.db.repos.subscriptionEvents.listByPayment(cancelledPaid.paymentId)).filter((e) => e.kind === 'purchase')).toHaveLength(
      1,
    );
    expect((await h.db.repos.subscriptions.getCurrentForUser(user.id))!.endsAt!.getTime()).toBe(endsAfter);
  });

  it('looks only at the day it is given', async () => {
    const user = await h.customer();
    const plan = await h.plan();
    const old = await h.checkout(user, plan, 'yookassa');
    await h.billing.ledger.cancelPayment(old.paymentId, 'cancelled_by_customer');
    h.yookassa.pay(old.externalId);
    await h.db.sequelize.query("UPDATE payments SET created_at = now() - interval '3 days' WHERE id = $1", { bind: [old.paymentId] });
    const job = await h.producers.reconcilePayments.add({ day: new Date().toISOString().slice(0, 10) });
    await h.until(async () => (await job.getState()) === 'completed', 15_000, 'the reconciliation run');
    expect((await h.db.repos.payments.get(old.paymentId))?.status).toBe('cancelled');
    const threeDaysAgo = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10);
    const back = await h.producers.reconcilePayments.add({ day: threeDaysAgo });
    await h.until(async () => (await back.getState()) === 'completed', 15_000, 'the run for that day');
    await h.until(
      async () => (await h.db.repos.payments.get(old.paymentId))?.status === 'succeeded',
      10_000,
      'the late success of that day',
    );
  });
});
