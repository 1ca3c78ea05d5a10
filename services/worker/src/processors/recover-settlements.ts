import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { settlementQueue, type Producers, type QueueFactory } from '@vpn/queues';
import { sweepCursor } from '../sweeps/sweep-cursor.js';

/** An event unsettled this long has lost its job (a Redis outage after the row was stored, a job that failed out). */
const STALE_MS = 2 * 60_000;
/** Events looked at per run (the sweep runs with the outbox dispatch, every few seconds). */
const BATCH = 200;

export interface RecoverDeps {
  db: Pick<Database, 'repos'>;
  queues: QueueFactory;
  producers: Pick<Producers, 'settlement'>;
}

/**
 * Re-drives payment events that are stored but were never settled: no job → enqueue one; a job
 * that failed for a transient reason and ran out of attempts → retry it. Events the domain refused
 * for good (an `error` recorded) are left for a human and are not candidates at all. A run looks
 * at a batch after where the last one stopped (`sweepCursor`), so events whose jobs are still
 * running or waiting never keep it from the ones behind them. Runs with the outbox sweep.
 */
export async function recoverSettlements(deps: RecoverDeps, log: Logger, now = new Date(), batch = BATCH): Promise<number> {
  const cursor = sweepCursor<{ receivedAt: Date; id: number }>(deps.queues, 'recover-settlements', ['receivedAt']);
  const after = await cursor.read();
  const stale = await deps.db.repos.paymentEvents.listRecoverable(new Date(now.getTime() - STALE_MS), {
    ...(after ? { after } : {}),
    limit: batch,
  });
  const queue = deps.queues.queue(settlementQueue);
  let recovered = 0;
  for (const event of stale) {
    const job = await queue.getJob(settlementQueue.jobId?.({ paymentEventId: String(event.id) }) ?? '');
    if (!job) await deps.producers.settlement.add({ paymentEventId: event.id });
    else if (await job.isFailed()) await job.retry();
    else continue;
    recovered++;
  }
  const last = stale.at(-1);
  await cursor.write(stale.length < batch || !last ? undefined : { receivedAt: last.receivedAt, id: Number(last.id) });
  if (recovered > 0) log.warn({ recovered }, 'unsettled payment events re-driven');
  return recovered;
}
