import type { Database } from '@vpn/db';
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

/** PostgreSQL refused a row whose foreign key points nowhere (SQLSTATE 23503). */
function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { name?: string; parent?: { code?: string }; original?: { code?: string } } | null;
  return e?.name === 'SequelizeForeignKeyConstraintError' || e?.parent?.code === '23503' || e?.original?.code === '23503';
}

/**
 * The notification store on PostgreSQL: `insertOnce` by (provider, event id), so ten concurrent
 * deliveries insert one row. The row points at our payment: the id the provider carried back
 * (a foreign key, so an id we never issued is refused by the database itself, with no extra
 * lookup on the hot path), else the payment found by the provider's id. Whether the amount,
 * currency and provider match the payment is checked by the settlement processor, which
 * records a mismatch on the event and never settles it.
 */
export function createDbNotificationStore(db: Pick<Database, 'repos'>): NotificationStore {
  return {
    async record(n): Promise<RecordResult> {
      const paymentId = n.paymentId !== undefined && UUID.test(n.paymentId) ? n.paymentId : (await db.repos.payments.findByExternal(n.provider, n.externalId))?.id;
      if (!paymentId) return { outcome: 'unknown_payment' };
      let result;
      try {
        result = await db.repos.paymentEvents.insertOnce({
          provider: n.provider,
          providerEventId: n.eventId,
          kind: n.refund ? 'refund' : `payment.${n.status}`,
          rawPayload: toStoredPayload(n),
          paymentId,
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) return { outcome: 'unknown_payment' };
        throw error;
      }
      const eventRowId = String(result.event.id);
      return result.inserted ? { outcome: 'recorded', eventRowId } : { outcome: 'duplicate', eventRowId, settled: result.event.processedAt !== null };
    },
  };
}
