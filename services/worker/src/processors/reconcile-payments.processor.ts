import type { Database } from '@vpn/db';
import type { PaymentProviders } from '@vpn/payments';
import type { PayloadOf, Processor, Producers, reconcilePaymentsQueue } from '@vpn/queues';
import { recordProviderState } from '../payments/record-provider-state.js';

export interface ReconcileDeps {
  db: Pick<Database, 'repos'>;
  payments: Pick<PaymentProviders, 'has' | 'get'>;
  producers: Pick<Producers, 'settlement'>;
  clock?: () => Date;
}

const LIMIT = 5_000;

/**
 * `reconcile-payments` (daily): every payment of ours still pending, whatever its age, is read
 * from its provider; those the provider has decided (paid, expired, cancelled) are settled
 * through the normal path, and each disagreement is logged. The poll covers the recent ones; this
 * catches what fell through (a provider outage longer than the poll's patience, a lost job).
 */
export function createReconcilePaymentsProcessor(deps: ReconcileDeps): Processor<PayloadOf<typeof reconcilePaymentsQueue>> {
  const now = deps.clock ?? (() => new Date());
  return async (_payload, { log }) => {
    const pending = await deps.db.repos.payments.listPendingOlderThan(now(), LIMIT);
    const counts = { checked: 0, settled: 0, failed: 0 };
    for (const payment of pending) {
      if (payment.externalId === null || !deps.payments.has(payment.provider)) continue;
      counts.checked++;
      try {
        const state = await deps.payments.get(payment.provider).getPayment(payment.externalId);
        if (state.status === 'pending') continue;
        await recordProviderState(deps, payment, state);
        counts.settled++;
        log.warn({ paymentId: payment.id, provider: payment.provider, providerStatus: state.status }, 'reconciliation: provider decided a payment we still had pending');
      } catch (err) {
        counts.failed++;
        log.error({ err, paymentId: payment.id, provider: payment.provider }, 'reconciliation: could not read the payment');
      }
    }
    log.info(counts, 'payments reconciled');
    return counts;
  };
}
