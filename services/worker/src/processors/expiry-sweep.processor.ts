import type { Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { provisioningQueue, type PayloadOf, type Processor, type Producers, type QueueFactory, type expirySweepQueue } from '@vpn/queues';
import { dispatchOutbox } from '../outbox/dispatch-outbox.js';

/** Subscriptions expired per page (each in its own transaction, under its row lock). */
const PAGE = 500;
/**
 * The panels set the pace: while this many panel changes wait in the provisioning queue, the
 * sweep stops and the next run (5 minutes later) goes on. At the emulators' and real panels'
 * tens of changes a second this is a minute or two of panel work, never an unbounded pile.
 */
const PROVISIONING_BACKLOG = 2_000;
/** At most this many per run, whatever the panels take: one run stays a few minutes of work. */
const MAX_PER_RUN = 20_000;

export interface ExpirySweepDeps {
  db: Pick<Database, 'repos'>;
  billing: Pick<Billing, 'subscriptions'>;
  producers: Pick<Producers, 'provisioning' | 'notifications'>;
  queues: Pick<QueueFactory, 'queue'>;
  logger: Logger;
  /** Tests: smaller pages and bounds, the same code. */
  limits?: { page?: number; provisioningBacklog?: number; maxPerRun?: number };
}

/**
 * `expiry-sweep`: billing marks every ended active subscription expired, each under its row lock
 * with a provisioning outbox row; dispatching those rows queues the panel changes that disable
 * the accounts. A backlog (a worker that was down, a mass end) is cleared page after page in one
 * run rather than 500 per 5 minutes, as fast as the panels take the changes: the sweep stops
 * while the provisioning queue is behind. Safe on several workers at once (billing re-checks
 * under the lock).
 */
export function createExpirySweepProcessor(deps: ExpirySweepDeps): Processor<PayloadOf<typeof expirySweepQueue>> {
  const page = deps.limits?.page ?? PAGE;
  const backlogMax = deps.limits?.provisioningBacklog ?? PROVISIONING_BACKLOG;
  const maxPerRun = deps.limits?.maxPerRun ?? MAX_PER_RUN;
  return async (_payload, { log }) => {
    let expired = 0;
    let dispatched = 0;
    let stoppedBy: 'done' | 'panels' | 'max' = 'done';
    for (;;) {
      const limit = Math.min(page, maxPerRun - expired);
      const n = await deps.billing.subscriptions.expireDue(undefined, limit);
      expired += n;
      if (n > 0) dispatched += await dispatchOutbox({ ...deps, logger: log });
      // A short page: nothing more has ended (or what is left was extended meanwhile).
      if (n < limit) break;
      if (expired >= maxPerRun) {
        stoppedBy = 'max';
        break;
      }
      if ((await deps.queues.queue(provisioningQueue).getWaitingCount()) >= backlogMax) {
        stoppedBy = 'panels';
        break;
      }
    }
    if (stoppedBy !== 'done') log.info({ expired, stoppedBy }, 'expiry sweep stopped with a backlog; the next run goes on');
    return { expired, dispatched, stoppedBy };
  };
}
