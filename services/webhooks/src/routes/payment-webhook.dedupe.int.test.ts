import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookHarness, type WebhookHarness } from '../testing/webhook-harness.js';

// One behaviour: a genuine notification is stored once and enqueued once, however often and
// however concurrently it is delivered.
let h: WebhookHarness;
beforeAll(async () => {
  h = await startWebhookHarness();
});
beforeEach(async () => {
  // A test that held notifications leaves them behind: deliver them before wiping.
  await h.cryptoPay.release();
  await h.cryptoPay.idle();
  await h.db.truncateAll();
  await h.queues.queue(h.producers.settlement.contract).empty();
});
afterAll(() => h.close());

describe('POST /webhooks/cryptopay: store once, enqueue once', () => {
  it('accepts a paid invoice: one payment_events row, one settlement job keyed by the row id', async () => {
    const { paymentId, invoiceId } = await h.pendingPayment();
    h.cryptoPay.pay(invoiceId);
    await h.cryptoPay.idle();
    expect(h.cryptoPay.attempts.map((a) => a.status)).toEqual([200]);
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ provider: 'cryptopay', providerEventId: `invoice_paid:${invoiceId}`, processedAt: null });
    expect(await h.settlementJobs()).toEqual([`settle:${events[0]!.id}`]);
    // The payment itself is untouched: settling is the worker's job.
    expect((await h.db.repos.payments.get(paymentId))?.status).toBe('pending');
  });

  it('the same notification ten times in a row: one row, one job, ten acknowledgements', async () => {
    const { invoiceId } = await h.pendingPayment();
    h.cryptoPay.pay(invoiceId);
    await h.cryptoPay.idle();
    const first = h.cryptoPay.notifications.at(-1)!;
    for (let i = 0; i < 9; i++) await h.cryptoPay.redeliver(first.id);
    await h.cryptoPay.idle();
    expect(h.cryptoPay.attempts.filter((a) => a.notificationId === first.id).map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(await h.eventCount()).toBe(1);
    expect(await h.settlementJobs()).toHaveLength(1);
  });

  it('the same notification ten times at once: one row, one job', async () => {
    const { invoiceId } = await h.pendingPayment();
    h.cryptoPay.hold();
    h.cryptoPay.pay(invoiceId);
    const { body, headers } = h.cryptoPay.notifications.at(-1)!;
    const statuses = await Promise.all(Array.from({ length: 10 }, () => h.cryptoPay.deliverRaw(body, headers)));
    expect(statuses).toEqual(Array(10).fill(200));
    expect(await h.eventCount()).toBe(1);
    expect(await h.settlementJobs()).toHaveLength(1);
  });

  it('re-enqueues a duplicate whose settlement never ran, without making a second job', async () => {
    const { invoiceId } = await h.pendingPayment();
    h.cryptoPay.pay(invoiceId);
    await h.cryptoPay.idle();
    // The first enqueue is lost (as if Redis failed after the row was stored).
    await h.queues.queue(h.producers.settlement.contract).empty();
    expect(await h.settlementJobs()).toHaveLength(0);
    await h.cryptoPay.redeliver(h.cryptoPay.notifications.at(-1)!.id, 2);
    await h.cryptoPay.idle();
    expect(await h.settlementJobs()).toHaveLength(1);
    expect(await h.eventCount()).toBe(1);
  });

  it('does not enqueue a duplicate whose settlement already ran', async () => {
    const { paymentId, invoiceId } = await h.pendingPayment();
    h.cryptoPay.pay(invoiceId);
    await h.cryptoPay.idle();
    const [event] = await h.db.repos.paymentEvents.listByPayment(paymentId);
    await h.db.repos.paymentEvents.markProcessed(event!.id);
    await h.queues.queue(h.producers.settlement.contract).empty();
    await h.cryptoPay.redeliver(h.cryptoPay.notifications.at(-1)!.id);
    await h.cryptoPay.idle();
    expect(h.cryptoPay.attempts.at(-1)?.status).toBe(200);
    expect(await h.settlementJobs()).toHaveLength(0);
  });
});
