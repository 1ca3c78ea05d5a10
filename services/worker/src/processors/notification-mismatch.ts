import type { Payment } from '@vpn/db';
import type { StoredNotification } from './stored-notification.schema.js';

/**
 * Why a genuine notification cannot be about `payment` (another provider's payment, another
 * provider id, another amount or currency), or null when it can. A refund carries the refund's
 * amount, which may be partial, so only its currency is compared. An external id equal to our own
 * payment id is a placeholder (a Stars payment is known by its invoice payload until settlement
 * records the charge id), so any provider id may replace it.
 */
export function mismatchReason(n: StoredNotification, payment: Payment): string | null {
  if (payment.provider !== n.provider) return `payment belongs to ${payment.provider}`;
  const known = payment.externalId !== null && payment.externalId !== payment.id;
  if (known && payment.externalId !== n.externalId) return `external id ${n.externalId} is not ${payment.externalId}`;
  if (payment.currency !== n.currency) return `currency ${n.currency} is not ${payment.currency}`;
  if (!n.refund && payment.amountMinor !== n.amountMinor) return `amount ${n.amountMinor} is not ${payment.amountMinor}`;
  return null;
}
