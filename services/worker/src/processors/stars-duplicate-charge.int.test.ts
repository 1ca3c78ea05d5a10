import { describe, expect, it } from 'vitest';
import { starsNotificationFromMessage } from '@vpn/payments';
import type { Message } from 'grammy/types';
import { payStarsInvoice } from '../testing/stars-customer.js';
import { useWorkerHarness } from '../testing/worker-harness.js';

const h = useWorkerHarness();

/** Stores the bot's forward of `message` exactly as the webhooks service does, and enqueues its settlement. */
async function forward(paymentId: string, message: Message): Promise<number> {
  const n = starsNotificationFromMessage(message);
  const { event } = await h.db.repos.paymentEvents.insertOnce({
    provider: 'stars',
    providerEventId: n.eventId,
    kind: n.refund ? 'refund' : `payment.${n.status}`,
    rawPayload: { notification: { ...n, occurredAt: n.occurredAt.toISOString() }, raw: message },
    paymentId,
  });
  await h.producers.settlement.add({ paymentEventId: event.id });
  return event.id;
}

describe('Telegram Stars: one charge per payment (issue 11, item 6)', () => {
  it('a second invoice of the same payment paid: the second charge is refunded, the customer told, the audit log records it, nothing granted twice', async () => {
    const user = await h.customer();
    const plan = await h.plan({ durationDays: 30, priceStars: 150 });
    const { paymentId, created } = await h.checkout(user, plan, 'stars');
    // "Pay" pressed twice: two invoices of one payment, both paid before either is settled.
    const first = await payStarsInvoice(h, user, created);
    const second = await payStarsInvoice(h, user, created);
    const charges = [first, second].map((m) => m.successful_payment!.telegram_payment_charge_id);
    expect(new Set(charges).size).toBe(2);
    expect(await h.db.repos.paymentEvents.hasCharge(paymentId)).toBe(false);
    const events = [await forward(paymentId, first)];
    expect(await h.db.repos.paymentEvents.hasCharge(paymentId)).toBe(true);
    // The second forward arrives once the first is settled (the usual order).
    await h.until(async () => (await h.db.repos.payments.get(paymentId))?.status === 'succeeded', 10_000, 'first settled');
    events.push(await forward(paymentId, second));

    await h.until(
      async () => (await Promise.all(events.map((id) => h.db.repos.paymentEvents.get(id)))).every((e) => e?.processedAt !== null),
      15_000,
      'both events processed',
    );
    const payment = await h.db.repos.payments.get(paymentId);
    expect(payment).toMatchObject({ status: 'succeeded', externalId: charges[0] });
    const [rows] = await h.db.sequelize.query('SELECT count(*)::int AS n FROM subscription_events WHERE payment_id = $1', {
      bind: [paymentId],
    });
    expect((rows as Array<{ n: number }>)[0]?.n).toBe(1);

    // Telegram's own record: the second charge went back to the customer, the first did not.
    const { transactions } = await h.deps.clientApi.getStarTransactions({ limit: 100 });
    const refunds = transactions.filter((t) => t.receiver !== undefined && 'user' in t.receiver).map((t) => t.id);
    expect(refunds).toEqual([charges[1]]);
    const audit = await h.db.repos.auditLog.list({ entity: 'payment', entityId: paymentId });
    expect(audit.map((a) => [a.action, a.data])).toContainEqual([
      'payment.duplicate_charge_refunded',
      expect.objectContaining({ chargeId: charges[1], settledChargeId: charges[0] }),
    ]);
    await h.until(
      async () => (await h.messagesTo(user)).some((m) => m.includes('повторная оплата 150 ⭐ автоматически возвращена')),
      10_000,
      'the customer is told',
    );

    // Telegram then reports the refund of that charge: our payment stays paid, the days stay.
    const refundEvent = await forward(paymentId, {
      ...second,
      successful_payment: undefined,
      refunded_payment: {
        currency: 'XTR',
        total_amount: 150,
        invoice_payload: paymentId,
        telegram_payment_charge_id: charges[1]!,
      },
    });
    await h.until(async () => (await h.db.repos.paymentEvents.get(refundEvent))?.processedAt !== null, 10_000, 'refund event processed');
    expect((await h.db.repos.paymentEvents.get(refundEvent))?.error).toBeNull();
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('succeeded');
    expect((await h.db.repos.subscriptions.getCurrentForUser(user.id))?.status).toBe('active');
  });
});
