import type { Database, Payment } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { PaymentError, type PaymentProviders, type ProviderPayment } from '@vpn/payments';
import type { Producers } from '@vpn/queues';
import { providerIdOf, readProviderState } from './read-provider-state.js';
import { recordProviderState } from './record-provider-state.js';

export interface ReconcileClosedDeps {
  db: Pick<Database, 'repos'>;
  payments: Pick<PaymentProviders, 'has' | 'get'>;
  producers: Pick<Producers, 'settlement'>;
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
}

const PAGE = 500;
/** At most this many of a day's closed payments are read (a provider is asked once per payment). */
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
 * Reads every payment of the UTC day [`from`, `to`) that we closed and compares it with its
 * provider: money the provider took for a payment we failed or cancelled, and refunds made at the
 * provider for one we have as succeeded, are stored as provider states (`poll:...` events, once
 * per status) and settled through the normal path, so billing's ledger rules decide and a rerun
 * changes nothing. A succeeded payment the provider does not show as paid is reported for a
 * human. One payment's error never stops the rest.
 */
export async function reconcileClosed(deps: ReconcileClosedDeps, from: Date, to: Date, now: Date, log: Logger): Promise<ClosedFindings> {
  const found: ClosedFindings = { checked: 0, agreed: 0, lateSuccess: [], refunded: [], disagreements: [], unreadable: [] };
  let after: { createdAt: Date; id: string } | undefined;
  for (let read = 0; read < DAY_LIMIT; read += PAGE) {
    const page = await deps.db.repos.payments.listClosedCreatedBetween(from, to, { ...(after ? { after } : {}), limit: PAGE });
    for (const payment of page) {
      if (providerIdOf(payment) === null || !deps.payments.has(payment.provider)) continue;
      found.checked++;
      try {
        const theirs = await view(deps, payment, now);
        const status = theirs === 'absent' ? 'absent' : theirs.status;
        if (payment.status !== 'succeeded' && status === 'succeeded' && theirs !== 'absent') {
          await recordProviderState(deps, payment, theirs);
          found.lateSuccess.push(payment.id);
        } else if (payment.status === 'succeeded' && status === 'refunded' && theirs !== 'absent') {
          await recordProviderState(deps, payment, theirs);
          found.refunded.push(payment.id);
        } else if (payment.status === 'succeeded' && status !== 'succeeded') {
          found.disagreements.push({ paymentId: payment.id, ours: payment.status, provider: status });
        } else {
          found.agreed++;
        }
      } catch (err) {
        found.unreadable.push(payment.id);
        log.error({ err, paymentId: payment.id, provider: payment.provider }, 'reconciliation: could not read a closed payment');
      }
    }
    const last = page.at(-1);
    if (page.length < PAGE || !last) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  return found;
}
