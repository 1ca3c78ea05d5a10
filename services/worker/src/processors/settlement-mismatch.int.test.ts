import { describe, expect, it } from 'vitest';
import { storePaidInvoice, useWorkerHarness } from '../testing/worker-harness.js';

const h = useWorkerHarness();

describe('settlement of a notification that does not match its payment', () => {
  it.each([
    ['amount', { amountMinor: 100 }, 'mismatch: amount 100 is not 19900'],
    ['currency', { currency: 'USD' }, 'mismatch: currency USD is not RUB'],
  ])('another %s: recorded on the event, never settled, the payment and the customer untouched', async (_what, claimed, error) => {
    const user = await h.customer();
    const plan = await h.plan();
    const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
    h.cryptoPay.pay(invoiceId);
    // Genuinely signed, but not the 199.00 RUB our payment asked for.
    const eventId = await storePaidInvoice(h, paymentId, invoiceId, `invoice_paid:${invoiceId}`, claimed);
    await h.until(async () => (await h.db.repos.paymentEvents.get(eventId))?.error !== null, 10_000, 'the refusal');
    expect(await h.db.repos.paymentEvents.get(eventId)).toMatchObject({ error, processedAt: null });
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('pending');
    expect(await h.db.repos.subscriptions.getCurrentForUser(user.id)).toBeNull();
    expect(await h.messagesTo(user)).toEqual([]);
  });
});
