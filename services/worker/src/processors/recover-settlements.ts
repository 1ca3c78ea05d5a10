import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { settlementQueue, type Producers, type QueueFactory } from '@vpn/queues';

/** An event unsettled this long has lost its job (a Redis outage after the row was stored, a job that failed out). */
const STALE_MS = 2 * 60_000;

export interface RecoverDeps {
  db: Pick<Database, 'repos'>;
  queues: QueueFactory;
  producers: Pick<Producers, 'settlement'>;
}

/**
 * Re-drives payment events that are stored but were never settled: no job → enqueue one; a job
 * that failed for a transient reason and ran out of attempts → retry it. Events the domain refused
 * for good (an `error` recorded) are left for a human. Runs with the outbox sweep.
 */
export async function recoverSettlements(deps: RecoverDeps, log: Logger, now = new Date()): Promise<number> {
  const stale = await deps.db.repos.paymentEvents.listUnprocessed(new Date(now.getTime() - STALE_MS), 200);
  const queue = deps.queues.queue(settlementQueue);
  let recovered = 0;
  for (const event of stale) {
    if (event.error !== null) continue;
    const job = await queue.getJob(settlementQueue.jobId?.({ paymentEventId: String(event.id) }) ?? '');
    if (!job) await deps.producers.settlement.add({ paymentEventId: event.id });
    else if (await job.isFailed()) await job.retry();
    else continue;
    recovered++;
  }
  if (recovered > 0) log.warn({ recovered }, 'unsettled payment events re-driven');
  return recovered;
}
