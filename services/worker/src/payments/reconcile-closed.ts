import type { Database, Payment } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { PaymentError, type PaymentProviders, type ProviderPayment } from '@vpn/payments';
import type { Producers } from '@vpn/queues';
import type { createProviderPacer } from './paced.js';
import { providerIdOf, readProviderState } from './read-provider-state.js';
import { recordProviderState } from './record-provider-state.js';

export interface ReconcileClosedDeps {
  db: Pick<Database, 'repos'>;
  payments: Pick<PaymentProviders, 'has' | 'get'>;
  producers: Pick<Producers, 'settlement'>;
  /** Reads each provider at its own bounded concurrency and rate. */
  pacer: ReturnType<typeof createProviderPacer>;
}

/** What comparing one day's closed payments with the providers found (payment ids, capped for the audit row). */
export interface ClosedFindings {
  checked: number;
  agreed: number;
  /** Closed by us, paid at the provider: sent to settlement, which honours them as late successes. */
  lateSuccess: string[];
  /** Succeeded with us, refunded at the provider: sent to settlement, which refunds them in the ledger. */
  refunded: string[];
  /** Succeeded with us but not paid (or unknown) at the provider: nothing can be decided automatically. */
  disagreements: Array<{ paymentId: string; ours: string; provider: string }>;
  /** Could not be read (provider down, timeout). */
  unreadable: string[];
  /** Where this run stopped, when the day had more than a run reads: the next run goes on from here. */
  next?: DayCursor;
}

/** The last payment of a day read: its `(created_at, id)`. */
export interface DayCursor {
  createdAt: Date;
  id: string;
}

const PAGE = 500;
/** At most this many of a day's closed payments are read in one run (a provider is asked once per payment); the next run goes on. */
const DAY_LIMIT = 20_000;

/** The provider's view, with "the provider has no such payment" as `absent`. */
async function view(deps: ReconcileClosedDeps, payment: Payment, now: Date): Promise<ProviderPayment | 'absent'> {
  try {
    return await readProviderState(deps.payments, payment, now);
  } catch (err) {
    if (err instanceof PaymentError && err.code === 'not_found') return 'absent';
    throw err;
  }
}

/**
 * Reads every payment of the UTC day [`from`, `to`) that we closed (after `resume`, at most
 * {@link DAY_LIMIT} a run; `next` says where a bigger day stopped) and compares it with its
 * provider: money the provider took for a payment we failed or cancelled, and refunds made at the
 * provider for one we have as succeeded, are stored as provider states (`poll:...` events, once
 * per status) and settled through the normal path, so billing's ledger rules decide and a rerun
 * changes nothing. A succeeded payment the provider does not show as paid is reported for a
 * human. One payment's error never stops the rest. Reads run side by side at each provider's
 * pace (`pacer`), the next page's starting while this one's finish, so the slowest provider of a
 * page does not idle the others; every finding is one log line of its own.
 */
export async function reconcileClosed(
  deps: ReconcileClosedDeps,
  from: Date,
  to: Date,
  now: Date,
  log: Logger,
  resume?: DayCursor,
): Promise<ClosedFindings> {
  const found: ClosedFindings = { checked: 0, agreed: 0, lateSuccess: [], refunded: [], disagreements: [], unreadable: [] };
  let after: DayCursor | undefined = resume;
  let done = false;
  // The reads of the page before, still running while this page is fetched and started: the
  // pacer bounds each provider across both, and two pages at most are held.
  let previous: Promise<void> = Promise.resolve();
  for (let read = 0; read < DAY_LIMIT; read += PAGE) {
    const page = await deps.db.repos.payments.listClosedCreatedBetween(from, to, { ...(after ? { after } : {}), limit: PAGE });
    const readable = page.filter((payment) => providerIdOf(payment) !== null && deps.payments.has(payment.provider));
    found.checked += readable.length;
    const current = deps.pacer.forEach(
      readable,
      (payment) => payment.provider,
      async (payment) => {
        try {
          const theirs = await view(deps, payment, now);
          const status = theirs === 'absent' ? 'absent' : theirs.status;
          if (payment.status !== 'succeeded' && status === 'succeeded' && theirs !== 'absent') {
            await recordProviderState(deps, payment, theirs);
            found.lateSuccess.push(payment.id);
            log.warn({ paymentId: payment.id, provider: payment.provider, ours: payment.status }, 'reconciliation: late success');
          } else if (payment.status === 'succeeded' && status === 'refunded' && theirs !== 'absent') {
            await recordProviderState(deps, payment, theirs);
            found.refunded.push(payment.id);
            log.warn({ paymentId: payment.id, provider: payment.provider }, 'reconciliation: refunded at the provider');
          } else if (payment.status === 'succeeded' && status !== 'succeeded') {
            found.disagreements.push({ paymentId: payment.id, ours: payment.status, provider: status });
            log.warn(
              { paymentId: payment.id, provider: payment.provider, ours: payment.status, theirs: status },
              'reconciliation: succeeded with us, not paid at the provider',
            );
          } else {
            found.agreed++;
          }
        } catch (err) {
          found.unreadable.push(payment.id);
          log.error({ err, paymentId: payment.id, provider: payment.provider }, 'reconciliation: could not read a closed payment');
        }
      },
    );
    await previous;
    previous = current;
    const last = page.at(-1);
    done = page.length < PAGE || !last;
    if (!last || done) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  await previous;
  if (!done && after) found.next = after;
  return found;
}
