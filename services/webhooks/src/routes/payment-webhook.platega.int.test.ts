import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../testing/serve.js';
import { useWebhookHarness } from '../testing/webhook-harness.js';

// One behaviour: a Platega callback counts only with our own credentials in its headers and a
// transaction that agrees with it on re-reading, and once.
const { logger, lines } = recordingLogger();
const h = useWebhookHarness({ logger, lines });

const settlementJobs = async () => (await h.queues.queue(h.producers.settlement.contract).getJobs(['waiting', 'delayed'])).length;

describe('POST /webhooks/platega', () => {
  it('accepts the CONFIRMED callback: one event, one job; duplicates, sequential or concurrent, add nothing', async () => {
    const { paymentId, externalId } = await h.checkout('platega');
    h.platega.confirm(externalId);
    await h.platega.idle();
    expect(h.platega.attempts.map((a) => a.status)).toEqual([200]);
    const id = h.platega.notifications.at(-1)!.id;
    await Promise.all([h.platega.redeliver(id, 2), h.platega.redeliver(id, 2)]);
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ provider: 'platega', kind: 'payment.succeeded' });
    expect(await settlementJobs()).toBe(1);
  });

  it.each(['credentials', 'missing-credentials', 'claim', 'unknown-id'] as const)('forged (%s) → 401, nothing stored', async (kind) => {
    const { paymentId, externalId } = await h.checkout('platega');
    expect(await h.platega.deliverTampered(kind, externalId)).toBe(401);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
    expect(await settlementJobs()).toBe(0);
  });

  it('a late CANCELED after CONFIRMED is acknowledged and changes nothing', async () => {
    const { paymentId, externalId } = await h.checkout('platega');
    h.platega.confirm(externalId);
    await h.platega.idle();
    const late = h.platega.buildCallback(externalId, { status: 'CANCELED' });
    expect(await h.platega.deliverRaw(late.body, late.headers)).toBe(200);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'replayed payment notification; acknowledged, nothing changed')).toHaveLength(1);
  });
});
