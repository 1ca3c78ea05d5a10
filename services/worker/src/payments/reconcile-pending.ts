import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { PaymentProviders } from '@vpn/payments';
import type { Producers, QueueFactory } from '@vpn/queues';
import { sweepCursor } from '../sweeps/sweep-cursor.js';
import type { createProviderPacer } from './paced.js';
import { providerIdOf, readProviderState } from './read-provider-state.js';
import { recordProviderState } from './record-provider-state.js';

export interface ReconcilePendingDeps {
  db: Pick<Database, 'repos'>;
  payments: Pick<PaymentProviders, 'has' | 'get'>;
  producers: Pick<Producers, 'settlement'>;
  queues: Pick<QueueFactory, 'redis' | 'prefix'>;
  pacer: ReturnType<typeof createProviderPacer>;
}

export interface PendingCounts {
  checked: number;
  settled: number;
  failed: number;
}

const PAGE = 500;
/** Pending payments looked at per run; a longer list goes on from here in the next run. */
const PER_RUN = 20_000;

/**
 * Every payment of ours still pending, whatever its age, read from its provider and settled through
 * the normal path if the provider has decided it (the poll covers the recent ones; this catches
 * what fell through). Walked page by page from where the last run stopped (`sweepCursor`), at
 * most {@link PER_RUN} a run, so payments nobody can read at the head of the list never hide the rest.
 */
export async function reconcilePending(deps: ReconcilePendingDeps, at: Date, log: Logger): Promise<PendingCounts> {
  const counts: PendingCounts = { checked: 0, settled: 0, failed: 0 };
  const cursor = sweepCursor<{ createdAt: Date; id: string }>(deps.queues, 'reconcile-pending', ['createdAt']);
  let after = await cursor.read();
  for (let seen = 0; seen < PER_RUN; seen += PAGE) {
    const page = await deps.db.repos.payments.listPendingOlderThan(at, { ...(after ? { after } : {}), limit: PAGE });
    const readable = page.filter((payment) => providerIdOf(payment) !== null && deps.payments.has(payment.provider));
    counts.checked += readable.length;
    await deps.pacer.forEach(
      readable,
      (payment) => payment.provider,
      async (payment) => {
        try {
          const state = await readProviderState(deps.payments, payment, at);
          if (state.status === 'pending') return;
          await recordProviderState(deps, payment, state);
          counts.settled++;
          log.warn(
            { paymentId: payment.id, provider: payment.provider, providerStatus: state.status },
            'reconciliation: provider decided a payment we still had pending',
          );
        } catch (err) {
          counts.failed++;
          log.error({ err, paymentId: payment.id, provider: payment.provider }, 'reconciliation: could not read the payment');
        }
      },
    );
    const last = page.at(-1);
    after = page.length < PAGE || !last ? undefined : { createdAt: last.createdAt, id: last.id };
    if (!after) break;
  }
  await cursor.write(after);
  return counts;
}
