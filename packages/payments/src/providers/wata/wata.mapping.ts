import { fromProviderAmount } from '../../money.js';
import { convertAmount, optionalDate } from '../../parse.js';
import type { ProviderPayment, ProviderPaymentStatus } from '../../provider.js';
import type { WataLink, WataTransaction } from './wata.schema.js';

export const wataMinor = (amount: number, currency: string): number =>
  convertAmount('wata', 'malformed', () => fromProviderAmount(amount, currency));

/** The successful payment transaction of an order, if any (an order may also have declined attempts). */
export function paidPayment(transactions: readonly WataTransaction[]): WataTransaction | undefined {
  return transactions.find((tx) => tx.kind === 'Payment' && tx.status === 'Paid');
}

/** Minor units already refunded (or being refunded) against an order. */
export function refundedMinor(
  transactions: readonly WataTransaction[],
  statuses: ReadonlyArray<WataTransaction['status']> = ['Paid'],
): number {
  return transactions
    .filter((tx) => tx.kind === 'Refund' && statuses.includes(tx.status))
    .reduce((sum, tx) => sum + wataMinor(tx.amount, tx.currency), 0);
}

/**
 * One order's state from its transactions and links: paid (or refunded in full) when a payment
 * transaction is Paid; pending while an attempt is in progress or a link is still open; failed
 * when attempts were declined and no link is open; cancelled when the links expired unused.
 * Returns undefined when WATA knows nothing of the order.
 */
export function orderState(
  orderId: string,
  transactions: readonly WataTransaction[],
  links: readonly WataLink[],
  now: Date,
  raw: unknown,
): ProviderPayment | undefined {
  const base = { externalId: orderId, paymentId: orderId, raw };
  const paid = paidPayment(transactions);
  if (paid) {
    const amountMinor = wataMinor(paid.amount, paid.currency);
    const status: ProviderPaymentStatus = refundedMinor(transactions) >= amountMinor ? 'refunded' : 'succeeded';
    const paidAt = optionalDate(paid.paymentTime) ?? optionalDate(paid.creationTime);
    return { ...base, status, amountMinor, currency: paid.currency, ...(paidAt ? { paidAt } : {}) };
  }
  const payments = transactions.filter((tx) => tx.kind === 'Payment');
  const reference = links[0] ?? payments[0];
  if (!reference) return undefined;
  const amount = { amountMinor: wataMinor(reference.amount, reference.currency), currency: reference.currency };
  const open = links.some((l) => l.status === 'Opened' && (optionalDate(l.expirationDateTime)?.getTime() ?? Infinity) > now.getTime());
  if (open || payments.some((tx) => tx.status === 'Created' || tx.status === 'Pending')) return { ...base, ...amount, status: 'pending' };
  const declined = payments.filter((tx) => tx.status === 'Declined').at(-1);
  if (declined) return { ...base, ...amount, status: 'failed', ...(declined.errorCode ? { failureReason: declined.errorCode } : {}) };
  return { ...base, ...amount, status: 'cancelled' };
}
