import { fromProviderAmount } from '../../money.js';
import { convertAmount } from '../../parse.js';
import type { ProviderPayment, ProviderPaymentStatus } from '../../provider.js';
import type { HeleketInvoice } from './heleket.schema.js';

/**
 * Heleket statuses in our terms (heleket.md §3). `paid_over` is paid; a refund that failed or is
 * under way leaves the payment paid; `wrong_amount` (underpaid) stays payable until `is_final`.
 * Anything unknown is pending: it never grants, and a later poll sees the final state.
 */
export function heleketStatus(status: string, isFinal: boolean): ProviderPaymentStatus {
  switch (status) {
    case 'paid':
    case 'paid_over':
    case 'refund_process':
    case 'refund_fail':
      return 'succeeded';
    case 'refund_paid':
      return 'refunded';
    case 'cancel':
      return 'cancelled';
    case 'fail':
    case 'system_fail':
      return 'failed';
    case 'wrong_amount':
      return isFinal ? 'failed' : 'pending';
    default:
      return 'pending';
  }
}

/** The invoice's own status field: `payment_status` in Cryptomus-style answers, `status` in webhooks. */
export const invoiceStatus = (invoice: HeleketInvoice): string => invoice.payment_status ?? invoice.status ?? 'check';

export function toProviderPayment(invoice: HeleketInvoice, raw: unknown): ProviderPayment {
  const status = heleketStatus(invoiceStatus(invoice), invoice.is_final === true || invoice.is_final === 1);
  const updated = typeof invoice.updated_at === 'string' ? new Date(invoice.updated_at) : undefined;
  return {
    externalId: invoice.uuid,
    status,
    amountMinor: convertAmount('heleket', 'malformed', () => fromProviderAmount(invoice.amount, invoice.currency)),
    currency: invoice.currency,
    paymentId: invoice.order_id,
    ...(status === 'succeeded' && updated && !Number.isNaN(updated.getTime()) ? { paidAt: updated } : {}),
    ...(status === 'failed' || status === 'cancelled' ? { failureReason: invoiceStatus(invoice) } : {}),
    raw,
  };
}
