import type { Database, PaymentEvent, PaymentEventInput } from '@vpn/db';
import type { VerifiedNotification } from '@vpn/payments';
import { createBatcher } from './batcher.js';
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
type StoredOnce = { inserted: boolean; event: PaymentEvent } | 'unknown_payment';

export function createDbNotificationStore(db: Pick<Database, 'repos'>): NotificationStore {
  const events = db.repos.paymentEvents;
  /** One by one, for a batch that named a payment we do not have (the foreign key refused it). */
  const insertEach = (inputs: PaymentEventInput[]) =>
    Promise.all(
      inputs.map((input): Promise<StoredOnce> =>
        events.insertOnce(input).catch((error: unknown) => {
          if (isForeignKeyViolation(error)) return 'unknown_payment';
          throw error;
        }),
      ),
    );
  // The notifications that arrive together are stored in one statement (see createBatcher).
  const insert = createBatcher<PaymentEventInput, StoredOnce>((inputs) =>
    events.insertManyOnce(inputs).catch((error: unknown) => {
      if (isForeignKeyViolation(error)) return insertEach(inputs);
      throw error;
    }),
  );
  return {
    async record(n): Promise<RecordResult> {
      const paymentId =
        n.paymentId !== undefined && UUID.test(n.paymentId)
          ? n.paymentId
          : (await db.repos.payments.findByExternal(n.provider, n.externalId))?.id;
      if (!paymentId) return { outcome: 'unknown_payment' };
      const result = await insert({
        provider: n.provider,
        providerEventId: n.eventId,
        kind: n.refund ? 'refund' : `payment.${n.status}`,
        rawPayload: toStoredPayload(n),
        paymentId,
      });
      if (result === 'unknown_payment') return { outcome: 'unknown_payment' };
      const eventRowId = String(result.event.id);
      return result.inserted
        ? { outcome: 'recorded', eventRowId }
        : { outcome: 'duplicate', eventRowId, settled: result.event.processedAt !== null };
    },
  };
}
