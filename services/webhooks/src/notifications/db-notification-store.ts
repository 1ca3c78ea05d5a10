import type { Database, Payment } from '@vpn/db';
import type { VerifiedNotification } from '@vpn/payments';
import type { NotificationStore, RecordResult } from './ports.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How a verified notification is kept in `payment_events.raw_payload`: the normalised fields the
 * settlement processor acts on (`notification`, dates as ISO strings) and the provider's own body
 * (`raw`) for audits. The worker parses `notification` back with a schema of its own.
 */
export function toStoredPayload(n: VerifiedNotification): { notification: Record<string, unknown>; raw: unknown } {
  const { raw, occurredAt, ...fields } = n;
  return { notification: { ...fields, occurredAt: occurredAt.toISOString() }, raw };
}

/** Why a genuine notification cannot be about `payment`, or null when it can. */
export function mismatchReason(n: VerifiedNotification, payment: Payment): string | null {
  if (payment.provider !== n.provider) return `payment belongs to ${payment.provider}`;
  if (payment.externalId !== null && payment.externalId !== n.externalId) return `external id ${n.externalId} is not ${payment.externalId}`;
  if (payment.currency !== n.currency) return `currency ${n.currency} is not ${payment.currency}`;
  // A refund event carries the refund's amount, which may be partial.
  if (!n.refund && Number(payment.amountMinor) !== n.amountMinor) return `amount ${n.amountMinor} is not ${payment.amountMinor}`;
  return null;
}

/**
 * The notification store on PostgreSQL: finds our payment (by the id the provider carried back,
 * else by the provider's id), checks amount and currency, then `insertOnce` by (provider, event
 * id), so ten concurrent deliveries insert one row.
 */
export function createDbNotificationStore(db: Pick<Database, 'repos'>): NotificationStore {
  return {
    async record(n): Promise<RecordResult> {
      const byOurId = n.paymentId !== undefined && UUID.test(n.paymentId) ? await db.repos.payments.get(n.paymentId) : null;
      const payment = byOurId ?? (await db.repos.payments.findByExternal(n.provider, n.externalId));
      if (!payment) return { outcome: 'unknown_payment' };
      const reason = mismatchReason(n, payment);
      if (reason) return { outcome: 'mismatch', reason };
      const { inserted, event } = await db.repos.paymentEvents.insertOnce({
        provider: n.provider,
        providerEventId: n.eventId,
        kind: n.refund ? 'refund' : `payment.${n.status}`,
        rawPayload: toStoredPayload(n),
        paymentId: payment.id,
      });
      const eventRowId = String(event.id);
      return inserted ? { outcome: 'recorded', eventRowId } : { outcome: 'duplicate', eventRowId, settled: event.processedAt !== null };
    },
  };
}
