import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../testing/serve.js';
import { useWebhookHarness } from '../testing/webhook-harness.js';

// One behaviour: a Sever Pay webhook counts only with a valid sign and a payment that agrees on
// re-reading, once; and it is answered {"status": true}, the only answer that stops Sever Pay's retries.
const { logger, lines } = recordingLogger();
const h = useWebhookHarness({ logger, lines });

const settlementJobs = async () => (await h.queues.queue(h.producers.settlement.contract).getJobs(['waiting', 'delayed'])).length;
const post = (body: string, headers: Record<string, string>) =>
  fetch(`${h.served.url}/webhooks/severpay`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('POST /webhooks/severpay', () => {
  it('accepts process then success: the success once, answered {"status": true} so Sever Pay stops; duplicates add nothing', async () => {
    const { paymentId, externalId } = await h.checkout('severpay');
    h.severpay.setStatus(externalId, 'process');
    await h.severpay.idle();
    h.severpay.setStatus(externalId, 'success');
    await h.severpay.idle();
    expect(h.severpay.attempts.map((a) => a.status)).toEqual([200, 200]);
    await h.severpay.redeliver(h.severpay.notifications.at(-1)!.id, 3);
    const answer = await post(h.severpay.notifications.at(-1)!.body, {});
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(await answer.json()).toMatchObject({ status: true });
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events.map((e) => e.kind).sort()).toEqual(['payment.pending', 'payment.succeeded']);
    expect(await settlementJobs()).toBe(2);
  });

  it.each(['body', 'signature', 'missing-signature'] as const)('forged (%s) → 401 without status: true, nothing stored', async (kind) => {
    const { paymentId, externalId } = await h.checkout('severpay');
    h.severpay.hold();
    h.severpay.setStatus(externalId, 'success');
    expect(await h.severpay.deliverTampered(kind)).toBe(401);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
    expect(await settlementJobs()).toBe(0);
  });

  it('the cabinet test webhook and a late fail after success are acknowledged with status: true, nothing stored', async () => {
    const { paymentId, externalId } = await h.checkout('severpay');
    h.severpay.sendTest();
    await h.severpay.idle();
    expect(h.severpay.attempts.at(-1)?.status).toBe(200);
    h.severpay.setStatus(externalId, 'success');
    await h.severpay.idle();
    const late = h.severpay.buildWebhook(externalId, { status: 'fail' });
    const answer = await post(late.body, late.headers);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ status: true, ignored: 'replayed' });
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(1);
  });
});
