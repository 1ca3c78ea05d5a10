import { describe, expect, it } from 'vitest';
import type { CrashStep } from '../deps.js';
import { useWorkerHarness } from '../testing/worker-harness.js';

// One behaviour: a notification claimed but never sent (its worker died in between) is not lost:
// once the claim's lease is over, a retry sends it, once, and only then is it marked sent.
const h = useWorkerHarness({ replicas: 0 });
const LEASE_MS = 400;

const paid = (paymentId: string) => ({ paymentId, amountMinor: 29_900, currency: 'RUB', days: 30, endsAt: '2030-03-01T12:00:00.000Z' });
const row = async (reference: string) => {
  const [rows] = await h.db.sequelize.query('SELECT state, sent_at FROM sent_notifications WHERE reference = $1', { bind: [reference] });
  return (rows as Array<{ state: string; sent_at: Date | null }>)[0];
};

describe('notifications survive a sender killed between claim and send', () => {
  it('at notify:after-claim: the retry after the lease sends it exactly once', async () => {
    let crashes = 0;
    const crashPoint = (step: CrashStep) => {
      if (step === 'notify:after-claim' && crashes++ === 0) throw new Error('worker killed after the claim');
    };
    const worker = await h.startWorker({}, { crashPoint, notifyLeaseMs: LEASE_MS });
    const user = await h.customer();
    const started = Date.now();
    await h.producers.notifications.add({ userId: user.id, kind: 'payment_succeeded', reference: 'crash-1', params: paid('crash-1') });
    await h.until(async () => (await row('crash-1'))?.state === 'sent', 15_000, 'sent after the lease');
    expect(Date.now() - started).toBeGreaterThanOrEqual(LEASE_MS);
    expect(crashes).toBeGreaterThanOrEqual(2);
    expect(await h.messagesTo(user)).toEqual(['✅ Оплата 299\u00a0₽ получена. Подписка действует до 1 марта 2030.']);
    await worker.close();
  });

  it('a claim left older than the lease (a worker killed earlier) is sent by the next job; a sent one never again', async () => {
    const worker = await h.startWorker({}, { notifyLeaseMs: LEASE_MS });
    const user = await h.customer();
    const key = { userId: user.id, kind: 'payment_succeeded', reference: 'orphan-1' };
    expect(await h.db.repos.sentNotifications.claim(key, { leaseMs: LEASE_MS })).toBe('claimed');
    await h.db.sequelize.query("UPDATE sent_notifications SET claimed_at = now() - interval '1 minute' WHERE reference = 'orphan-1'");
    expect((await row('orphan-1'))?.sent_at).toBeNull();
    await h.producers.notifications.add({ ...key, params: paid('orphan-1') }, { jobId: 'orphan-a' });
    await h.until(async () => (await row('orphan-1'))?.state === 'sent', 10_000, 'the orphaned claim sent');
    expect((await row('orphan-1'))?.sent_at).toBeInstanceOf(Date);
    // A later duplicate job, even long after the lease, sends nothing more.
    await h.db.sequelize.query("UPDATE sent_notifications SET claimed_at = now() - interval '1 minute' WHERE reference = 'orphan-1'");
    const again = await h.producers.notifications.add({ ...key, params: paid('orphan-1') }, { jobId: 'orphan-b' });
    await h.until(async () => (await again.getState()) === 'completed', 10_000, 'the duplicate job');
    expect(await h.messagesTo(user)).toHaveLength(1);
    await worker.close();
  });
});
