import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../testing/serve.js';
import { useWebhookHarness } from '../testing/webhook-harness.js';

// One behaviour: a WATA notification counts only with a valid RSA signature over the exact body,
// checked against WATA's current key (refetched once when WATA rotated it).
const { logger, lines } = recordingLogger();
const h = useWebhookHarness({ logger, lines });

const settlementJobs = async () => (await h.queues.queue(h.producers.settlement.contract).getJobs(['waiting', 'delayed'])).length;

describe('POST /webhooks/wata', () => {
  it('accepts the signed Paid webhook of a link: one event, one job; its duplicates add nothing', async () => {
    const { paymentId } = await h.checkout('wata');
    h.wata.pay(paymentId);
    await h.wata.idle();
    expect(h.wata.attempts.map((a) => a.status)).toEqual([200]);
    await h.wata.redeliver(h.wata.notifications.at(-1)!.id, 3);
    await h.wata.idle();
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ provider: 'wata', kind: 'payment.succeeded' });
    expect(await settlementJobs()).toBe(1);
  });

  it.each(['signature', 'body', 'missing-signature'] as const)('forged (%s) → 401, nothing stored', async (kind) => {
    const { paymentId } = await h.checkout('wata');
    h.wata.hold();
    h.wata.pay(paymentId);
    expect(await h.wata.deliverTampered(kind)).toBe(401);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
    expect(await settlementJobs()).toBe(0);
    expect(lines.filter((l) => l.msg === 'request rejected')).toEqual([expect.objectContaining({ status: 401, code: 'forged' })]);
  });

  it('WATA rotated its key: the first webhook signed with the new key is accepted (key refetched once); the old key is then refused', async () => {
    const first = await h.checkout('wata');
    h.wata.pay(first.paymentId);
    await h.wata.idle();
    const oldSigned = h.wata.notifications.at(-1)!;
    const keyFetches = h.wata.publicKeyRequests;

    h.wata.rotateKey();
    const second = await h.checkout('wata');
    h.wata.pay(second.paymentId);
    await h.wata.idle();
    expect(h.wata.attempts.at(-1)?.status).toBe(200);
    expect(h.wata.publicKeyRequests).toBe(keyFetches + 1);
    expect(await h.db.repos.paymentEvents.listByPayment(second.paymentId)).toHaveLength(1);

    // A body signed with the retired key no longer verifies, whatever it says.
    const replay = JSON.parse(oldSigned.body) as Record<string, unknown>;
    replay.transactionId = '00000000-0000-4000-8000-00000000beef';
    const forgedBody = JSON.stringify(replay);
    expect(await h.wata.deliverRaw(forgedBody, oldSigned.headers)).toBe(401);
    expect(await h.wata.deliverRaw(oldSigned.body, oldSigned.headers)).toBe(401);
    expect(await h.db.repos.paymentEvents.listByPayment(first.paymentId)).toHaveLength(1);
  });
});
