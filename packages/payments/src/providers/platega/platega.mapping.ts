import { fromProviderAmount } from '../../money.js';
import { convertAmount } from '../../parse.js';
import { PaymentError, type ProviderPayment, type ProviderPaymentStatus } from '../../provider.js';
import type { PlategaTransaction } from './platega.schema.js';

/**
 * Platega's statuses (platega.md §3). Anything unknown (a chargeback state nobody documented) is
 * pending: it never grants, and an operator sees it in the poll's log.
 */
export function plategaStatus(status: string): ProviderPaymentStatus {
  switch (status.toUpperCase()) {
    case 'CONFIRMED':
      return 'succeeded';
    case 'CANCELED':
    case 'CANCELLED':
    case 'EXPIRED':
      return 'cancelled';
    case 'FAILED':
      return 'failed';
    default:
      return 'pending';
  }
}

/** `{amount, currency}`, or the "299 RUB" text some answers carry instead. */
function amountOf(details: PlategaTransaction['paymentDetails']): { amount: string | number; currency: string } {
  if (typeof details !== 'string') return details;
  const match = /^\s*(\d+(?:\.\d+)?)\s+([A-Z]{3})\s*$/.exec(details);
  if (!match) throw new PaymentError('malformed', `platega: cannot read the amount "${details}"`, { provider: 'platega' });
  return { amount: match[1]!, currency: match[2]! };
}

export function toProviderPayment(tx: PlategaTransaction, raw: unknown): ProviderPayment {
  const { amount, currency } = amountOf(tx.paymentDetails);
  const status = plategaStatus(tx.status);
  return {
    externalId: tx.id,
    status,
    amountMinor: convertAmount('platega', 'malformed', () => fromProviderAmount(amount, currency)),
    currency,
    ...(tx.payload ? { paymentId: tx.payload } : {}),
    ...(status === 'failed' || status === 'cancelled' ? { failureReason: tx.status } : {}),
    raw,
  };
}
