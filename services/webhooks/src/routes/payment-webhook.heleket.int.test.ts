import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../testing/serve.js';
import { useWebhookHarness } from '../testing/webhook-harness.js';

// One behaviour: a Heleket webhook counts only from Heleket's address, with a valid body `sign`,
// and once: duplicates, forgeries and late earlier states change nothing.
const { logger, lines } = recordingLogger();
const h = useWebhookHarness({ logger, lines });

const settlementJobs = async () => (await h.queues.queue(h.producers.settlement.contract).getJobs(['waiting', 'delayed'])).length;

describe('POST /webhooks/heleket', () => {
  it('accepts the signed paid webhook: one event, one job; duplicates (sequential and concurrent) add nothing', async () => {
    const { paymentId, externalId } = await h.checkout('heleket');
    h.heleket.pay(externalId);
    await h.heleket.idle();
    expect(h.heleket.attempts.map((a) => a.status)).toEqual([200]);
    const id = h.heleket.notifications.at(-1)!.id;
    await h.heleket.redeliver(id, 3);
    await Promise.all([h.heleket.redeliver(id, 1), h.heleket.redeliver(id, 1), h.heleket.redeliver(id, 1)]);
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ provider: 'heleket', kind: 'payment.succeeded' });
    expect(await settlementJobs()).toBe(1);
  });

  it.each(['signature', 'body', 'missing-signature', 'sender'] as const)('forged (%s) → 401, nothing stored', async (kind) => {
    const { paymentId, externalId } = await h.checkout('heleket');
    h.heleket.hold();
    h.heleket.pay(externalId);
    expect(await h.heleket.deliverTampered(kind)).toBe(401);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
    expect(await settlementJobs()).toBe(0);
    expect(lines.filter((l) => l.msg === 'request rejected')).toEqual([expect.objectContaining({ status: 401, code: 'forged' })]);
  });

  it('a late webhook of an earlier state (after paid) is acknowledged and changes nothing; a late cancel after the payer paid too', async () => {
    const { paymentId, externalId } = await h.checkout('heleket');
    h.heleket.setStatus(externalId, 'confirm_check', false);
    await h.heleket.idle();
    h.heleket.hold();
    h.heleket.pay(externalId);
    // The earlier state's webhook arrives after the payment: superseded.
    const late = h.heleket.buildWebhook(externalId, { status: 'confirm_check', is_final: false });
    expect(await h.heleket.deliverRaw(late.body, late.headers)).toBe(200);
    const cancel = h.heleket.buildWebhook(externalId, { status: 'cancel', is_final: true });
    expect(await h.heleket.deliverRaw(cancel.body, cancel.headers)).toBe(200);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(1);
    expect(await settlementJobs()).toBe(1);
    await h.heleket.release();
    await h.heleket.idle();
    const events = await h.db.repos.paymentEvents.listByPayment(paymentId);
    expect(events.map((e) => e.kind).sort()).toEqual(['payment.pending', 'payment.succeeded']);
    expect(lines.filter((l) => l.msg === 'replayed payment notification; acknowledged, nothing changed')).toHaveLength(2);
  });

  it('a webhook claiming paid for an unpaid invoice → 401 (the re-read invoice disagrees)', async () => {
    const { paymentId, externalId } = await h.checkout('heleket');
    const claim = h.heleket.buildWebhook(externalId, { status: 'paid', is_final: true });
    expect(await h.heleket.deliverRaw(claim.body, claim.headers)).toBe(401);
    expect(await h.db.repos.paymentEvents.listByPayment(paymentId)).toHaveLength(0);
  });
});
