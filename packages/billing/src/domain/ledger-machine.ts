/**
 * The payment ledger's state machine (invariant 1): `pending → succeeded | failed | cancelled`,
 * `succeeded → refunded`, only forward. Everything else is refused.
 */

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled' | 'refunded';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['pending', 'succeeded', 'failed', 'cancelled', 'refunded'];

const FORWARD: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ['succeeded', 'failed', 'cancelled'],
  succeeded: ['refunded'],
  failed: [],
  cancelled: [],
  refunded: [],
};

/** Whether the ledger allows `from → to`. */
export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return FORWARD[from].includes(to);
}

/** A payment no settlement can change any more (`succeeded` may still be refunded, by staff). */
export function isSettled(status: PaymentStatus): boolean {
  return status !== 'pending';
}

export type SettlementDecision =
  | { action: 'succeed' }
  | { action: 'fail' }
  | { action: 'cancel' }
  | { action: 'refund' }
  | { action: 'wait' }
  /** Already in a final state: do nothing. `conflict` when the provider disagrees about money. */
  | { action: 'noop'; conflict: boolean };

/**
 * What a provider's report means for our payment. A report that would move the ledger backwards
 * is a no-op; a `succeeded` report for a payment we already failed or cancelled is flagged as a
 * conflict, because the customer may have been charged without getting access: the worker alerts
 * staff and reconciliation decides (refund or manual grant). It is never silently applied.
 */
export function decideSettlement(current: PaymentStatus, reported: PaymentStatus): SettlementDecision {
  if (current === 'pending') {
    switch (reported) {
      case 'pending':
        return { action: 'wait' };
      case 'succeeded':
        return { action: 'succeed' };
      case 'failed':
        return { action: 'fail' };
      case 'cancelled':
        return { action: 'cancel' };
      case 'refunded':
        // Refunded before we ever saw it succeed: no access was granted, nothing to take back.
        return { action: 'cancel' };
    }
  }
  if (current === 'succeeded' && reported === 'refunded') return { action: 'refund' };
  const conflict = (current === 'failed' || current === 'cancelled') && reported === 'succeeded';
  return { action: 'noop', conflict };
}
