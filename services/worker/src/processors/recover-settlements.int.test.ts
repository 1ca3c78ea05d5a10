import { describe, expect, it } from 'vitest';
import { silentLogger } from '@vpn/logger';
import { settlementQueue } from '@vpn/queues';
import { storePaidInvoice, useWorkerHarness } from '../testing/worker-harness.js';
import { recoverSettlements } from './recover-settlements.js';

// One behaviour: a stored payment event whose settlement job was lost, or failed out on a
// transient error, is driven again; one refused for good, or too fresh to judge, is left alone.
const h = useWorkerHarness({ replicas: 0 });

describe('recoverSettlements', () => {
  it('re-drives lost and failed-out settlements once; leaves refused and fresh events alone', async () => {
    const user = await h.customer();
    const plan = await h.plan();
    const paid = async () => {
      const { paymentId, invoiceId } = await h.cryptoCheckout(user, plan);
      h.cryptoPay.pay(invoiceId);
      return { paymentId, eventId: await storePaidInvoice(h, paymentId, invoiceId) };
    };
    const queue = h.queues.queue(settlementQueue);
    const lost = await paid();
    const failedOut = await paid();
    const refused = await paid();
    const fresh = await paid();
    // Lost: Redis lost the job after the row was stored. Failed out: its attempts ran out while the database was down.
    await (await queue.getJob(`settle:${lost.eventId}`))!.remove();
    await (await queue.getJob(`settle:${fresh.eventId}`))!.remove();
    await (await queue.getJob(`settle:${refused.eventId}`))!.remove();
    const doomed = (await queue.getJob(`settle:${failedOut.eventId}`))!;
    if ((await doomed.getState()) === 'delayed') await doomed.promote();
    const taken = await queue.getNextJob();
    expect(taken?.id).toBe(doomed.id);
    await taken!.discard();
    await taken!.moveToFailed({ message: 'database unavailable' }, true);
    await taken!.releaseLock();
    expect(await doomed.isFailed()).toBe(true);
    await h.db.repos.paymentEvents.markFailed(refused.eventId, 'mismatch: amount 100 is not 19900');
    await h.db.sequelize.query("UPDATE payment_events SET received_at = now() - interval '5 minutes' WHERE id = ANY($1::bigint[])", {
      bind: [[lost.eventId, failedOut.eventId, refused.eventId]],
    });

    expect(await recoverSettlements(h.deps, silentLogger())).toBe(2);
    expect(await recoverSettlements(h.deps, silentLogger())).toBe(0);
    const worker = await h.startWorker();
    const status = async (id: string) => (await h.db.repos.payments.get(id))?.status;
    await h.until(
      async () => (await status(lost.paymentId)) === 'succeeded' && (await status(failedOut.paymentId)) === 'succeeded',
      10_000,
      'both re-driven',
    );
    expect(await status(refused.paymentId)).toBe('pending');
    expect(await status(fresh.paymentId)).toBe('pending');
    expect((await h.db.repos.paymentEvents.get(fresh.eventId))?.processedAt).toBeNull();
    expect(await recoverSettlements(h.deps, silentLogger())).toBe(0);
    const [rows] = await h.db.sequelize.query("SELECT count(*)::int AS n FROM subscription_events WHERE kind IN ('purchase', 'renewal')");
    expect((rows as Array<{ n: number }>)[0]?.n).toBe(2);
    await worker.close();
  });
});
