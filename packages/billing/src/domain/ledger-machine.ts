/**
 * The payment ledger's state machine (invariant 1): `pending → succeeded | failed | cancelled`,
 * `succeeded → refunded`, only forward, plus one exception decided by policy: a payment we closed
 * (`failed` or `cancelled`) that the provider later confirms as paid becomes `succeeded` (a
 * "late success"). Money the provider confirms is honoured; everything else is refused.
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

/** The closed states a provider-confirmed success may still move to `succeeded` from. */
export const LATE_SUCCESS_FROM: readonly PaymentStatus[] = ['failed', 'cancelled'];

/**
 * Failure reasons that say the provider's own figures contradicted ours (another amount or
 * currency). A later "succeeded" for such a payment is not honoured automatically: which figure
 * is true is a question for a human, so it stays a conflict.
 */
export const DISPUTED_FAILURES: readonly string[] = ['amount_mismatch', 'currency_mismatch'];

/**
 * Whether the ledger allows `from → to`. `lateSuccess` admits `failed | cancelled → succeeded`,
 * which only settlement may use, and only on the provider's verified word.
 */
export function canTransition(from: PaymentStatus, to: PaymentStatus, options: { lateSuccess?: boolean } = {}): boolean {
  if (FORWARD[from].includes(to)) return true;
  return options.lateSuccess === true && to === 'succeeded' && LATE_SUCCESS_FROM.includes(from);
}

/** A payment no ordinary settlement changes any more (`succeeded` may still be refunded; a closed one may still succeed late). */
export function isSettled(status: PaymentStatus): boolean {
  return status !== 'pending';
}

export type SettlementDecision =
  | { action: 'succeed' }
  /** The provider says a payment we failed or cancelled was paid: settle it as a purchase, on record. */
  | { action: 'late_success'; from: 'failed' | 'cancelled' }
  | { action: 'fail' }
  | { action: 'cancel' }
  | { action: 'refund' }
  | { action: 'wait' }
  /** Nothing to do. `conflict` when the provider disagrees about money and a human must decide. */
  | { action: 'noop'; conflict: boolean };

/**
 * What a provider's report means for our payment. A report that would move the ledger backwards
 * is a no-op, with one exception: `succeeded` for a payment we failed or cancelled (the customer
 * cancelled in the bot and paid anyway, WATA declined one attempt and the next one on the same
 * link went through, a checkout cancelled after a provider timeout that had in fact created the
 * payment). The customer was charged, so it is a `late_success`: settled normally and recorded.
 * Only a payment failed because the provider's amount or currency contradicted ours
 * (`closedReason` in {@link DISPUTED_FAILURES}) stays a no-op, flagged as a conflict.
 */
export function decideSettlement(current: PaymentStatus, reported: PaymentStatus, closedReason?: string | null): SettlementDecision {
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
  if ((current === 'failed' || current === 'cancelled') && reported === 'succeeded') {
    if (closedReason && DISPUTED_FAILURES.includes(closedReason)) return { action: 'noop', conflict: true };
    return { action: 'late_success', from: current };
  }
  return { action: 'noop', conflict: false };
}
