import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../testing/serve.js';
import { YOOKASSA_SENDER_IP, useWebhookHarness } from '../testing/webhook-harness.js';

// One behaviour: a YooKassa notification counts only from YooKassa's addresses and only as the
// payment re-read from the API says; when the API cannot be asked, YooKassa is told to retry.
const { logger, lines } = recordingLogger();
const h = useWebhookHarness({ logger, lines });

/** The genuine `payment.succeeded` for a paid payment, held back so the test delivers it. */
async function paidNotification() {
  const { paymentId, externalId } = await h.checkout('yookassa');
  h.yookassa.hold();
  h.yookassa.pay(externalId);
  const notification = h.yookassa.notifications.filter((n) => n.body.includes('payment.succeeded')).at(-1)!;
  return { paymentId, notification };
}
const settlementJobs = async () => (await h.queues.queue(h.producers.settlement.contract).getJobs(['waiting', 'delayed'])).length;

describe('POST /webhooks/yookassa', () => {
  it('accepts a paid payment from a YooKassa address: one event, one settlement job', async () => {
    const { paymentId, notification } = await paidNotification();
    expect(notification.headers['x-forwarded-for']).toBe(YOOKASSA_SENDER_IP);
    expect(await h.yookassa.deliverRaw(notification.body, notification.headers)).toBe(200);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(1);
    expect(await settlementJobs()).toBe(1);
  });

  it('a wrong sender address → 403, nothing stored, one log line', async () => {
    const { paymentId, notification } = await paidNotification();
    const status = await h.yookassa.deliverRaw(notification.body, { ...notification.headers, 'x-forwarded-for': '203.0.113.7' });
    expect(status).toBe(403);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
    expect(await settlementJobs()).toBe(0);
    expect(lines.filter((l) => l.msg === 'request rejected')).toEqual([expect.objectContaining({ status: 403, code: 'forged' })]);
  });

  it('the API down while re-reading → 503 so YooKassa retries; the retry is accepted', async () => {
    const { paymentId, notification } = await paidNotification();
    h.yookassa.failNextRequests(1, 500);
    expect(await h.yookassa.deliverRaw(notification.body, notification.headers)).toBe(503);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
    expect(lines.filter((l) => l.msg === 'request failed')).toEqual([expect.objectContaining({ status: 503, code: 'unavailable' })]);
    expect(await h.yookassa.deliverRaw(notification.body, notification.headers)).toBe(200);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(1);
  });

  it('a claim the re-read contradicts (paid, but the payment is still pending at YooKassa) → 403', async () => {
    const { paymentId, externalId } = await h.checkout('yookassa');
    const pending = (await h.providers.get('yookassa')!.getPayment(externalId)).raw as Record<string, unknown>;
    const object = { ...pending, status: 'succeeded', paid: true, captured_at: new Date().toISOString() };
    expect(await h.yookassa.deliverFabricated('payment.succeeded', object)).toBe(403);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
  });
});
