import { Op } from 'sequelize';
import type { PaymentEvent, PaymentProvider } from '../models/index.js';
import { plain, plainAll, queryOne, queryRows, required, type RepoDeps, type TxOptions } from './base.js';
import { selectFrom } from './sql-parts.js';

export interface PaymentEventInput {
  provider: PaymentProvider;
  /** The provider's own id for this notification (or a hash of its body when it has none). */
  providerEventId: string;
  kind: string;
  rawPayload: unknown;
  paymentId?: string | null;
}

/** Provider notifications, each stored exactly once however often it is delivered. */
export function createPaymentEventsRepository({ sequelize, models }: RepoDeps) {
  const { PaymentEvent: Events } = models;
  const selectEvents = selectFrom(Events);
  return {
    /** `ON CONFLICT DO NOTHING`: `inserted` is true for exactly one of any number of concurrent deliveries. */
    async insertOnce(input: PaymentEventInput, opts: TxOptions = {}): Promise<{ inserted: boolean; event: PaymentEvent }> {
      const row = await queryOne<PaymentEvent>(
        sequelize,
        `INSERT INTO payment_events (provider, provider_event_id, kind, raw_payload, payment_id)
         VALUES ($1, $2, $3, $4::jsonb, $5)
         ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING *`,
        [input.provider, input.providerEventId, input.kind, JSON.stringify(input.rawPayload ?? null), input.paymentId ?? null],
        opts,
      );
      if (row) return { inserted: true, event: row };
      const existing = await Events.findOne({
        where: { provider: input.provider, providerEventId: input.providerEventId },
        transaction: opts.transaction,
      });
      return {
        inserted: false,
        event: required(plain(existing), 'payment event', input.providerEventId),
      };
    },
    /**
     * {@link insertOnce} for many notifications in two statements (what the webhooks service
     * does with the deliveries that arrive together). Results are in input order; of several
     * inputs with the same (provider, event id), in this call or concurrent ones, exactly one is
     * `inserted`. One statement for all: a payment id that does not exist fails the whole call
     * (foreign key), and the caller falls back to {@link insertOnce} per input.
     */
    async insertManyOnce(
      inputs: readonly PaymentEventInput[],
      opts: TxOptions = {},
    ): Promise<Array<{ inserted: boolean; event: PaymentEvent }>> {
      if (inputs.length === 0) return [];
      const inserted = await queryRows<PaymentEvent>(
        sequelize,
        `INSERT INTO payment_events (provider, provider_event_id, kind, raw_payload, payment_id)
         SELECT * FROM unnest($1::payment_provider[], $2::text[], $3::text[], $4::jsonb[], $5::uuid[])
         ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING *`,
        [
          inputs.map((i) => i.provider),
          inputs.map((i) => i.providerEventId),
          inputs.map((i) => i.kind),
          inputs.map((i) => JSON.stringify(i.rawPayload ?? null)),
          inputs.map((i) => i.paymentId ?? null),
        ],
        opts,
      );
      const key = (provider: string, eventId: string) => `${provider}\u0000${eventId}`;
      const fresh = new Map(inserted.map((e) => [key(e.provider, e.providerEventId), e]));
      const missing = inputs.filter((i) => !fresh.has(key(i.provider, i.providerEventId)));
      const existing = new Map<string, PaymentEvent>();
      if (missing.length > 0) {
        const rows = await queryRows<PaymentEvent>(
          sequelize,
          `${selectEvents} WHERE (provider, provider_event_id) IN (SELECT * FROM unnest($1::payment_provider[], $2::text[]))`,
          [missing.map((i) => i.provider), missing.map((i) => i.providerEventId)],
          opts,
        );
        for (const row of rows) existing.set(key(row.provider, row.providerEventId), row);
      }
      return inputs.map((input) => {
        const k = key(input.provider, input.providerEventId);
        const mine = fresh.get(k);
        if (mine) {
          // The first input with this key gets the new row; any later one in the call is its duplicate.
          fresh.delete(k);
          existing.set(k, mine);
          return { inserted: true, event: mine };
        }
        return { inserted: false, event: required(existing.get(k) ?? null, 'payment event', input.providerEventId) };
      });
    },
    /** Read first by every settlement job: hand-written (see selectFrom). */
    async get(id: number, opts: TxOptions = {}): Promise<PaymentEvent | null> {
      return queryOne<PaymentEvent>(sequelize, `${selectEvents} WHERE id = $1`, [id], opts);
    },
    /**
     * The event is done: the recovery sweep will not pick it up again. `error` records why it was
     * rejected for good (unknown payment, illegal move); a transient failure that should be
     * retried is `markFailed` instead.
     */
    async markProcessed(id: number, data: { paymentId?: string | null; error?: string | null } = {}, opts: TxOptions = {}): Promise<void> {
      await Events.update(
        {
          processedAt: new Date(),
          error: data.error?.slice(0, 2000) ?? null,
          ...(data.paymentId !== undefined ? { paymentId: data.paymentId } : {}),
        },
        { where: { id }, transaction: opts.transaction },
      );
    },
    /** Leaves the event unprocessed (for a retry) and records why it failed. */
    async markFailed(id: number, error: string, opts: TxOptions = {}): Promise<void> {
      await Events.update({ error: error.slice(0, 2000) }, { where: { id }, transaction: opts.transaction });
    },
    /** Events received before `olderThan` and still unprocessed: the recovery sweep. */
    async listUnprocessed(olderThan: Date, limit = 100, opts: TxOptions = {}): Promise<PaymentEvent[]> {
      return plainAll(
        await Events.findAll({
          where: { processedAt: null, receivedAt: { [Op.lt]: olderThan } },
          order: [['receivedAt', 'ASC']],
          limit,
          transaction: opts.transaction,
        }),
      );
    },
    /**
     * Events received before `olderThan`, unprocessed and not refused for good (no `error`), in
     * `(received_at, id)` order after `after`: the recovery sweep's candidates, page by page, so
     * refused events never fill its batch.
     */
    async listRecoverable(
      olderThan: Date,
      options: { after?: { receivedAt: Date; id: number }; limit?: number } = {},
      opts: TxOptions = {},
    ): Promise<PaymentEvent[]> {
      return queryRows<PaymentEvent>(
        sequelize,
        `${selectEvents}
         WHERE processed_at IS NULL AND error IS NULL AND received_at < $1
           AND ($2::timestamptz IS NULL OR (received_at, id) > ($2::timestamptz, $3::bigint))
         ORDER BY received_at, id LIMIT $4`,
        [olderThan, options.after?.receivedAt ?? null, options.after?.id ?? null, options.limit ?? 200],
        opts,
      );
    },
    /** Whether a success (a charge) is recorded for the payment, settled or not yet. */
    async hasCharge(paymentId: string, opts: TxOptions = {}): Promise<boolean> {
      const row = await queryOne<{ one: number }>(
        sequelize,
        "SELECT 1 AS one FROM payment_events WHERE payment_id = $1 AND kind = 'payment.succeeded' LIMIT 1",
        [paymentId],
        opts,
      );
      return row !== null;
    },
    async listByPayment(paymentId: string, opts: TxOptions = {}): Promise<PaymentEvent[]> {
      return plainAll(
        await Events.findAll({
          where: { paymentId },
          order: [['id', 'ASC']],
          transaction: opts.transaction,
        }),
      );
    },
  };
}

export type PaymentEventsRepository = ReturnType<typeof createPaymentEventsRepository>;
