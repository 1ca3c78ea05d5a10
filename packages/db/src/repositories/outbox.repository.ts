import type { OutboxMessage, OutboxStatus } from '../models/index.js';
import { plain, queryOne, queryRows, required, type RepoDeps, type TxOptions } from './base.js';

export interface OutboxInput {
  kind: string;
  payload: Record<string, unknown>;
  /** Unique; the same change retried adds nothing. Also use it as the Bull job id. */
  dedupeKey: string;
  /** Not before this time (delayed work); default now. */
  availableAt?: Date;
}

/**
 * The transactional outbox. Write with `add` inside the transaction that makes the change; a
 * dispatcher `claim`s batches (SKIP LOCKED, so replicas never take the same rows), enqueues them,
 * then `markDone`. A claim that is never finished is reclaimed after `leaseMs`.
 */
export function createOutboxRepository({ sequelize, models }: RepoDeps) {
  const { Outbox } = models;
  return {
    async add(input: OutboxInput, opts: TxOptions = {}): Promise<{ inserted: boolean; message: OutboxMessage }> {
      const row = await queryOne<OutboxMessage>(
        sequelize,
        `INSERT INTO outbox (kind, payload, dedupe_key, available_at) VALUES ($1, $2::jsonb, $3, coalesce($4, now()))
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING *`,
        [input.kind, JSON.stringify(input.payload), input.dedupeKey, input.availableAt ?? null],
        opts,
      );
      if (row) return { inserted: true, message: row };
      const existing = plain(
        await Outbox.findOne({
          where: { dedupeKey: input.dedupeKey },
          transaction: opts.transaction,
        }),
      );
      return { inserted: false, message: required(existing, 'outbox message', input.dedupeKey) };
    },
    /**
     * Several rows in ONE statement (a transaction that makes a change usually owes more than
     * one job). Rows whose dedupe key exists already, or repeats within `inputs`, are skipped;
     * returns the rows actually inserted, in input order.
     */
    async addMany(inputs: readonly OutboxInput[], opts: TxOptions = {}): Promise<OutboxMessage[]> {
      if (inputs.length === 0) return [];
      const rows = await queryRows<OutboxMessage>(
        sequelize,
        `INSERT INTO outbox (kind, payload, dedupe_key, available_at)
         SELECT kind, payload::jsonb, dedupe_key, coalesce(available_at, now())
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
           WITH ORDINALITY AS t(kind, payload, dedupe_key, available_at, n)
         ORDER BY n
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING *`,
        [
          inputs.map((i) => i.kind),
          inputs.map((i) => JSON.stringify(i.payload)),
          inputs.map((i) => i.dedupeKey),
          inputs.map((i) => i.availableAt ?? null),
        ],
        opts,
      );
      return rows.sort((a, b) => a.id - b.id);
    },
    async get(id: number, opts: TxOptions = {}): Promise<OutboxMessage | null> {
      return plain(await Outbox.findByPk(id, { transaction: opts.transaction }));
    },
    /** Takes up to `limit` due rows (pending, or dispatched longer than `leaseMs` ago) and marks them dispatched. */
    async claim(options: { limit?: number; leaseMs?: number; kinds?: string[] } = {}, opts: TxOptions = {}): Promise<OutboxMessage[]> {
      return queryRows<OutboxMessage>(
        sequelize,
        `UPDATE outbox SET status = 'dispatched', attempts = attempts + 1, updated_at = now()
         WHERE id IN (
           SELECT id FROM outbox
           WHERE ((status = 'pending' AND available_at <= now())
               OR (status = 'dispatched' AND updated_at < now() - make_interval(secs => $2::double precision / 1000)))
             AND ($3::text[] IS NULL OR kind = ANY($3::text[]))
           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [options.limit ?? 100, options.leaseMs ?? 60_000, options.kinds ?? null],
        opts,
      );
    },
    async markDone(ids: number[], opts: TxOptions = {}): Promise<number> {
      if (ids.length === 0) return 0;
      const rows = await queryRows(
        sequelize,
        "UPDATE outbox SET status = 'done', last_error = NULL, updated_at = now() WHERE id = ANY($1::bigint[]) RETURNING id",
        [ids],
        opts,
      );
      return rows.length;
    },
    /** Puts a claimed row back for another try at `retryAt`, or fails it for good after `maxAttempts`. */
    async release(
      id: number,
      error: string,
      options: { retryAt?: Date; maxAttempts?: number } = {},
      opts: TxOptions = {},
    ): Promise<OutboxStatus | null> {
      const row = await queryOne<{ status: OutboxStatus }>(
        sequelize,
        `UPDATE outbox SET last_error = $2, updated_at = now(), available_at = coalesce($3, now()),
           status = CASE WHEN attempts >= $4 THEN 'failed'::outbox_status ELSE 'pending'::outbox_status END
         WHERE id = $1 AND status = 'dispatched' RETURNING status`,
        [id, error.slice(0, 2000), options.retryAt ?? null, options.maxAttempts ?? 10],
        opts,
      );
      return row?.status ?? null;
    },
    async countByStatus(opts: TxOptions = {}): Promise<Partial<Record<OutboxStatus, number>>> {
      const rows = await queryRows<{ status: OutboxStatus; n: number }>(
        sequelize,
        'SELECT status, count(*)::int AS n FROM outbox GROUP BY status',
        [],
        opts,
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
