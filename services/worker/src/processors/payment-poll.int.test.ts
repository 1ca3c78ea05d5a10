import { describe, expect, it } from 'vitest';
import { starsNotificationFromMessage } from '@vpn/payments';
import { payStarsInvoice } from '../testing/stars-customer.js';
import { useWorkerHarness } from '../testing/worker-harness.js';

const h = useWorkerHarness();

describe('payment poll (webhook fallback)', () => {
  it('settles a paid invoice whose notification never arrived, once, however often it is polled', async () => {
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
    const unpaid = await h.cryptoCheckout(user, plan);
    h.cryptoPay.pay(invoiceId); // no webhook URL: the notification is held, never delivered
    await Promise.all([1, 2, 3].map(() => h.producers.paymentPoll.add({ scope: 'sweep', olderThanMinutes: 1 }).then(() => undefined)));
    // Too young for a one-minute threshold: nothing happens yet.
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('pending');

    await h.db.sequelize.query("UPDATE payments SET created_at = now() - interval '15 minutes'");
    for (let i = 0; i < 3; i++) await h.producers.paymentPoll.add({ scope: 'sweep' });
    await h.until(async () => (await h.db.repos.payments.get(paymentId))?.status === 'succeeded', 10_000, 'settled by poll');
    await h.producers.paymentPoll.add({ scope: 'payment', paymentId });
    await new Promise((r) => setTimeout(r, 300));
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events.map((e) => e.providerEventId)).toEqual([`poll:cryptopay:${invoiceId}:succeeded`]);
    const purchases = await h.db.sequelize.query("SELECT count(*)::int AS n FROM subscription_events WHERE kind = 'purchase'");
    expect((purchases[0] as Array<{ n: number }>)[0]?.n).toBe(1);
    expect((await h.db.repos.payments.get(unpaid.paymentId))?.status).toBe('pending');
  });

  it('settles a Stars payment whose forward from the client bot failed, exactly once, even when the forward arrives later', async () => {
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30, priceStars: 150 });
    const { paymentId, externalId, created } = await h.checkout(user, plan, 'stars');
    // The checkout records our own id (the invoice payload) as the external id: the poll can find it.
    expect(externalId).toBe(paymentId);
    expect((await h.db.repos.payments.get(paymentId))?.externalId).toBe(paymentId);
    // Not paid yet: Telegram knows nothing of it, the poll leaves it pending.
    await h.producers.paymentPoll.add({ scope: 'payment', paymentId });
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('pending');

    const message = await payStarsInvoice(h, user, created);
    // The forward to the webhooks service failed; the client bot's fallback asks for a poll.
    await h.producers.paymentPoll.add({ scope: 'payment', paymentId });
    await h.until(async () => (await h.db.repos.payments.get(paymentId))?.status === 'succeeded', 10_000, 'settled by poll');
    const chargeId = message.successful_payment!.telegram_payment_charge_id;
    expect((await h.db.repos.payments.get(paymentId))?.externalId).toBe(chargeId);

    // More polls, a sweep, and the forward after all (as the webhooks service stores it).
    await h.producers.paymentPoll.add({ scope: 'payment', paymentId });
    await h.producers.paymentPoll.add({ scope: 'sweep', olderThanMinutes: 1 });
    const n = starsNotificationFromMessage(message);
    const { event } = await h.db.repos.paymentEvents.insertOnce({
      provider: 'stars',
      providerEventId: n.eventId,
      kind: 'payment.succeeded',
      rawPayload: { notification: { ...n, occurredAt: n.occurredAt.toISOString() }, raw: message },
      paymentId,
    });
    await h.producers.settlement.add({ paymentEventId: event.id });
    await h.until(async () => (await h.db.repos.paymentEvents.get(event.id))?.processedAt !== null, 10_000, 'the late forward processed');
    await h.until(async () => (await h.messagesTo(user)).some((m) => m.includes('Оплата 150 ⭐ получена')), 10_000, 'the payment notice');
    await new Promise((r) => setTimeout(r, 500));

    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events.map((e) => e.providerEventId).sort()).toEqual([chargeId, `poll:stars:${chargeId}:succeeded`].sort());
    expect(events.every((e) => e.error === null)).toBe(true);
    const [rows] = await h.db.sequelize.query(
      "SELECT count(*)::int AS n FROM subscription_events WHERE kind = 'purchase' AND payment_id = $1",
      { bind: [paymentId] },
    );
    expect((rows as Array<{ n: number }>)[0]?.n).toBe(1);
    const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(Math.round(((sub?.endsAt?.getTime() ?? 0) - Date.now()) / 86_400_000)).toBe(30);
    expect((await h.messagesTo(user)).filter((m) => m.includes('получена'))).toHaveLength(1);
  });

  it('cancels a Stars payment nobody paid once its invoice is stale, and a failed poll never blocks the next one', async () => {
    const user = await h.customer();
    const plan = await h.plan({ priceStars: 99 });
    const { paymentId } = await h.checkout(user, plan, 'stars');
    await h.db.sequelize.query("UPDATE payments SET created_at = now() - interval '25 hours' WHERE id = $1", { bind: [paymentId] });
    await h.producers.paymentPoll.add({ scope: 'sweep' });
    await h.until(async () => (await h.db.repos.payments.get(paymentId))?.status === 'cancelled', 10_000, 'cancelled as expired');
    expect(await h.db.repos.payments.get(paymentId)).toMatchObject({ failureReason: 'expired' });
    expect((await h.db.repos.paymentEvents.listByPayment(paymentId)).map((e) => e.providerEventId)).toEqual([
      `poll:stars:${paymentId}:cancelled`,
    ]);

    // A provider that is down fails the poll job; the failed job does not keep its id.
    const { paymentId: other } = await h.checkout(user, await h.plan(), 'wata');
    h.wata.failNextRequests(10);
    const queue = h.queues.queue(h.producers.paymentPoll.contract);
    await h.producers.paymentPoll.add({ scope: 'payment', paymentId: other });
    await h.until(async () => (await queue.getJob(`poll:${other}`)) === null, 10_000, 'the failed poll removed');
    h.wata.failNextRequests(0);
    h.wata.pay(other);
    await h.producers.paymentPoll.add({ scope: 'payment', paymentId: other });
    await h.until(async () => (await h.db.repos.payments.get(other))?.status === 'succeeded', 10_000, 'settled by the next poll');
  });

  it('a poll of a payment we cancelled acts only on money: paid → settled once as a late success, unpaid → left cancelled', async () => {
    const user = await h.customer();
    const plan = await h.plan();
    const paid = await h.cryptoCheckout(user, plan);
    const unpaid = await h.cryptoCheckout(user, plan);
    for (const p of [paid, unpaid]) await h.billing.ledger.cancelPayment(p.paymentId, 'cancelled_by_customer');
    h.cryptoPay.pay(paid.invoiceId);
    for (const p of [paid, unpaid, paid]) await h.producers.paymentPoll.add({ scope: 'payment', paymentId: p.paymentId });
    await h.until(async () => (await h.db.repos.payments.get(paid.paymentId))?.status === 'succeeded', 10_000, 'the late success');
    await h.producers.paymentPoll.add({ scope: 'payment', paymentId: paid.paymentId });
    await new Promise((r) => setTimeout(r, 500));
    expect((await h.db.repos.payments.get(paid.paymentId))?.metadata.lateSuccess).toMatchObject({
      from: 'cancelled',
      failureReason: 'cancelled_by_customer',
    });
    expect((await h.db.repos.payments.get(unpaid.paymentId))?.status).toBe('cancelled');
    const [rows] = await h.db.sequelize.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'payment.late_success' AND entity_id = $1",
      { bind: [paid.paymentId] },
    );
    expect((rows as Array<{ n: number }>)[0]?.n).toBe(1);
    expect((await h.db.repos.subscriptionEvents.listByPayment(paid.paymentId)).filter((e) => e.kind === 'purchase')).toHaveLength(1);
  });
});
