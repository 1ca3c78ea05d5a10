import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { InvalidPayloadError, type Producers } from '@vpn/queues';

/** A claimed row that was not turned into a job in time is claimed again after this. */
const LEASE_MS = 60_000;
const BATCH = 200;

export interface DispatchDeps {
  db: Pick<Database, 'repos'>;
  producers: Pick<Producers, 'provisioning' | 'notifications'>;
  logger: Logger;
  crashPoint?: (step: 'outbox:after-enqueue') => void;
}

/**
 * Moves due outbox rows to Bull: claim a batch (`FOR UPDATE SKIP LOCKED`, so replicas take
 * different rows), add one job per row with the row's dedupe key as job id (a row dispatched
 * twice after a crash is still one job), then mark the batch done. A row whose payload its
 * queue's contract refuses is failed for good (logged); a Redis error puts it back for a retry.
 * Returns how many rows became jobs.
 */
export async function dispatchOutbox(deps: DispatchDeps): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await deps.db.repos.outbox.claim({ limit: BATCH, leaseMs: LEASE_MS });
    const done: number[] = [];
    for (const row of rows) {
      try {
        if (row.kind === 'provision') await deps.producers.provisioning.add(row.payload as never, { jobId: row.dedupeKey });
        else if (row.kind === 'notify') await deps.producers.notifications.add(row.payload as never, { jobId: row.dedupeKey });
        else throw new InvalidPayloadError(`outbox:${row.kind}`, []);
        done.push(row.id);
      } catch (err) {
        const permanent = err instanceof InvalidPayloadError;
        deps.logger[permanent ? 'error' : 'warn']({ err, outboxId: row.id, kind: row.kind }, permanent ? 'outbox row refused by its queue contract' : 'outbox row not dispatched; will retry');
        await deps.db.repos.outbox.release(row.id, err instanceof Error ? err.message : String(err), permanent ? { maxAttempts: 0 } : { retryAt: new Date(Date.now() + 5_000) });
      }
    }
    if (done.length > 0) deps.crashPoint?.('outbox:after-enqueue');
    await deps.db.repos.outbox.markDone(done);
    total += done.length;
    if (rows.length < BATCH) return total;
  }
}
