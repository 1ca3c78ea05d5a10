import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../testing/serve.js';
import { useWebhookHarness } from '../testing/webhook-harness.js';

// One behaviour: an xRocket Pay invoicePay counts only signed over its raw bytes and confirmed by
// re-reading the invoice, once; other types and forgeries change nothing.
const { logger, lines } = recordingLogger();
const h = useWebhookHarness({ logger, lines });

const settlementJobs = async () => (await h.queues.queue(h.producers.settlement.contract).getJobs(['waiting', 'delayed'])).length;

describe('POST /webhooks/xrocket', () => {
  it('accepts invoicePay: one event, one job at the rouble price; duplicates add nothing', async () => {
    const { paymentId, externalId } = await h.checkout('xrocket');
    h.xrocket.pay(externalId);
    await h.xrocket.idle();
    expect(h.xrocket.attempts.map((a) => a.status)).toEqual([200]);
    await Promise.all([
      h.xrocket.redeliver(h.xrocket.notifications.at(-1)!.id, 2),
      h.xrocket.redeliver(h.xrocket.notifications.at(-1)!.id, 2),
    ]);
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ provider: 'xrocket', kind: 'payment.succeeded' });
    expect(await settlementJobs()).toBe(1);
  });

  it.each(['body', 'signature', 'missing-signature', 'hex-key'] as const)('forged (%s) → 401, nothing stored', async (kind) => {
    const { paymentId, externalId } = await h.checkout('xrocket');
    h.xrocket.hold();
    h.xrocket.pay(externalId);
    expect(await h.xrocket.deliverTampered(kind)).toBe(401);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
    expect(await settlementJobs()).toBe(0);
  });

  it('a subscription webhook is acknowledged and ignored; an invoicePay for an unpaid invoice → 401', async () => {
    const { paymentId, externalId } = await h.checkout('xrocket');
    const other = h.xrocket.buildWebhook(externalId, 'subscriptionPay');
    expect(await h.xrocket.deliverRaw(other.body, other.headers)).toBe(200);
    const early = h.xrocket.buildWebhook(externalId);
    expect(await h.xrocket.deliverRaw(early.body, early.headers)).toBe(401);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
  });
});
