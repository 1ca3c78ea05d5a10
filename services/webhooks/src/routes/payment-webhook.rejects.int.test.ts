import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cryptoPaySignature } from '@vpn/payments';
import { recordingLogger } from '../testing/serve.js';
import { startWebhookHarness, type WebhookHarness } from '../testing/webhook-harness.js';

// One behaviour: whatever is wrong with a notification, the answer says so, one line is logged,
// and nothing is stored or enqueued; the payment stays pending.
const { logger, lines } = recordingLogger();
let h: WebhookHarness;
beforeAll(async () => {
  h = await startWebhookHarness({ logger });
});
beforeEach(async () => {
  // A test that held notifications leaves them behind: deliver them before wiping.
  await h.cryptoPay.release();
  await h.cryptoPay.idle();
  await h.db.truncateAll();
  await h.queues.queue(h.producers.settlement.contract).empty();
  lines.length = 0;
});
afterAll(() => h.close());

async function nothingChanged(paymentId?: string): Promise<void> {
  expect(await h.eventCount()).toBe(0);
  expect(await h.settlementJobs()).toHaveLength(0);
  if (paymentId) expect((await h.db.repos.payments.get(paymentId))?.status).toBe('pending');
}

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${h.served.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('POST /webhooks/:provider rejections', () => {
  it.each(['body', 'signature', 'missing-signature'] as const)('forged (%s) → 401', async (kind) => {
    const { paymentId, invoiceId } = await h.pendingPayment();
    h.cryptoPay.hold();
    h.cryptoPay.pay(invoiceId);
    expect(await h.cryptoPay.deliverTampered(kind)).toBe(401);
    await nothingChanged(paymentId);
    expect(lines.filter((l) => l.msg === 'request rejected')).toEqual([expect.objectContaining({ status: 401, code: 'forged' })]);
  });

  it('malformed (signed, but not JSON) → 400', async () => {
    const body = 'not json at all';
    const res = await post('/webhooks/cryptopay', body, { 'crypto-pay-api-signature': cryptoPaySignature(h.cryptoPay.token, body) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'malformed' });
    await nothingChanged();
  });

  it('unknown provider → 404', async () => {
    const res = await post('/webhooks/paypal', '{}');
    expect(res.status).toBe(404);
    await nothingChanged();
  });

  it('replay of an old event (outside the replay window) → acknowledged, nothing changed', async () => {
    const { paymentId, invoiceId } = await h.pendingPayment();
    h.cryptoPay.hold();
    h.cryptoPay.pay(invoiceId);
    const old = h.cryptoPay.buildUpdate(invoiceId, { requestDate: new Date(Date.now() - 2 * 3_600_000) });
    const res = await post('/webhooks/cryptopay', old.body, old.headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, ignored: 'replayed' });
    await nothingChanged(paymentId);
    expect(lines.some((l) => String(l.msg).startsWith('replayed payment notification'))).toBe(true);
  });

  it('a genuine notification for a payment we do not have → acknowledged, nothing stored', async () => {
    const { paymentId, invoiceId } = await h.pendingPayment();
    await h.db.sequelize.query('DELETE FROM payments WHERE id = $1', { bind: [paymentId] });
    h.cryptoPay.pay(invoiceId);
    await h.cryptoPay.idle();
    expect(h.cryptoPay.attempts.at(-1)?.status).toBe(200);
    await nothingChanged();
    expect(lines.some((l) => l.level === 50 && String(l.msg).includes('unknown payment'))).toBe(true);
  });

  it('a genuine notification naming a payment id we never issued → acknowledged, nothing stored', async () => {
    const { invoiceId } = await h.pendingPayment();
    h.cryptoPay.hold();
    h.cryptoPay.pay(invoiceId);
    const update = JSON.parse(h.cryptoPay.notifications.at(-1)!.body) as { payload: { payload: string } };
    update.payload.payload = '00000000-0000-4000-8000-000000000000';
    const body = JSON.stringify(update);
    const res = await post('/webhooks/cryptopay', body, { 'crypto-pay-api-signature': cryptoPaySignature(h.cryptoPay.token, body) });
    expect(await res.json()).toEqual({ ok: true, ignored: 'unknown_payment' });
    await nothingChanged();
  });
});
