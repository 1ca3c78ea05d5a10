import type { Database, OutboxMessage } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { Producers } from '@vpn/queues';

/** A claimed row that was not turned into a job in time is claimed again after this. */
const LEASE_MS = 60_000;
const BATCH = 200;

export interface DispatchDeps {
  db: Pick<Database, 'repos'>;
  producers: Pick<Producers, 'provisioning' | 'notifications'>;
  logger: Logger;
  crashPoint?: (step: 'outbox:after-enqueue') => void;
}

/** The queue each outbox kind goes to. */
function producerFor(deps: DispatchDeps, kind: string) {
  if (kind === 'provision') return deps.producers.provisioning;
  if (kind === 'notify') return deps.producers.notifications;
  return undefined;
}

/**
 * Moves due outbox rows to Bull: claim a batch (`FOR UPDATE SKIP LOCKED`, so replicas take
 * different rows), add the jobs in one round trip per queue with each row's dedupe key as job id
 * (a row dispatched twice after a crash is still one job), then mark the batch done. A row whose
 * kind or payload its queue refuses is failed for good (logged); a Redis error puts the batch back
 * for a retry. Returns how many rows became jobs.
 */
export async function dispatchOutbox(deps: DispatchDeps): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await deps.db.repos.outbox.claim({ limit: BATCH, leaseMs: LEASE_MS });
    const valid = new Map<string, OutboxMessage[]>();
    for (const row of rows) {
      const producer = producerFor(deps, row.kind);
      if (producer?.contract.schema.safeParse(row.payload).success) valid.set(row.kind, [...(valid.get(row.kind) ?? []), row]);
      else {
        deps.logger.error({ outboxId: row.id, kind: row.kind }, 'outbox row refused by its queue contract; failed for good');
        await deps.db.repos.outbox.release(row.id, `no queue takes ${row.kind} rows with this payload`, { maxAttempts: 0 });
      }
    }
    const done: number[] = [];
    for (const [kind, batch] of valid) {
      try {
        await producerFor(deps, kind)!.addBulk(batch.map((row) => ({ payload: row.payload as never, options: { jobId: row.dedupeKey } })));
        done.push(...batch.map((row) => row.id));
      } catch (err) {
        deps.logger.warn({ err, kind, rows: batch.length }, 'outbox rows not dispatched; will retry');
        for (const row of batch)
          await deps.db.repos.outbox.release(row.id, err instanceof Error ? err.message : String(err), {
            retryAt: new Date(Date.now() + 5_000),
          });
      }
    }
    if (done.length > 0) deps.crashPoint?.('outbox:after-enqueue');
    await deps.db.repos.outbox.markDone(done);
    total += done.length;
    if (rows.length < BATCH) return total;
  }
}

/**
 * Runs `dispatchOutbox` soon after being kicked, coalescing kicks: however many settlements finish
 * at once, one dispatch runs at a time and one more follows if kicked meanwhile. Settlements do
 * not wait for it; a crash before it runs leaves the rows for the periodic sweep.
 */
export function createOutboxKicker(deps: DispatchDeps) {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      try {
        await dispatchOutbox(deps);
      } catch (err) {
        deps.logger.warn({ err }, 'outbox dispatch failed; the sweep will retry');
      }
    } while (again);
    running = undefined;
  };
  return {
    kick(): void {
      if (running) again = true;
      else running = loop();
    },
    /** Resolves when no dispatch is running (shutdown, tests). */
    idle: (): Promise<void> => running ?? Promise.resolve(),
  };
}

export type OutboxKicker = ReturnType<typeof createOutboxKicker>;
