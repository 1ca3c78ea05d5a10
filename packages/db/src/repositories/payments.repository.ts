import { QueryTypes } from 'sequelize';
import { IllegalTransitionError } from '../errors.js';
import { PAYMENT_STATUSES, type Payment, type PaymentKind, type PaymentProvider, type PaymentStatus, type User } from '../models/index.js';
import { aliasedColumns, selectFrom } from './sql-parts.js';
import { inTx, plain, queryOne, queryRows, required, type RepoDeps, type TxOptions } from './base.js';

export interface PaymentInput {
  userId: number;
  provider: PaymentProvider;
  /** Ours, unique: the same checkout retried returns the same payment instead of a second one. */
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  kind?: PaymentKind;
  planId?: number | null;
  subscriptionId?: number | null;
  promoCodeId?: number | null;
  discountMinor?: number;
  savedPaymentMethodId?: string | null;
  metadata?: Record<string, unknown>;
}

/**
 * The ordinary moves a payment can make; everything else (backwards, sideways) is refused, except
 * a late success (`LATE_SUCCESS_SOURCES → succeeded`), which a caller must ask for explicitly.
 */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ['succeeded', 'failed', 'cancelled'],
  succeeded: ['refunded'],
  failed: [],
  cancelled: [],
  refunded: [],
};

/**
 * Closed states from which a provider-confirmed payment may still become `succeeded` (billing's
 * late-success policy). Only with `TransitionOptions.lateSuccess`, so no ordinary caller can
 * revive a closed payment by accident.
 */
export const LATE_SUCCESS_SOURCES: readonly PaymentStatus[] = ['failed', 'cancelled'];

/** Facts recorded together with a transition. */
export interface TransitionDetails {
  paidAt?: Date;
  /** Written on `failed`/`cancelled`; on a late success `null` clears the old reason. */
  failureReason?: string | null;
  savedPaymentMethodId?: string | null;
  externalId?: string;
  /** Shallow-merged into `metadata`. */
  metadata?: Record<string, unknown>;
}

/** For each status, the statuses a payment may move to it from. */
const SOURCES = Object.fromEntries(
  PAYMENT_STATUSES.map((to) => [to, PAYMENT_STATUSES.filter((from) => PAYMENT_TRANSITIONS[from].includes(to))]),
) as Record<PaymentStatus, PaymentStatus[]>;

export interface TransitionOptions extends TxOptions {
  /** The caller holds the row lock already (`lockForUpdate` in `transaction`): do not take it again. */
  locked?: boolean;
  /** Also allow `failed | cancelled → succeeded` (billing's late success; settlement only). */
  lateSuccess?: boolean;
}

export function createPaymentsRepository({ sequelize, models }: RepoDeps) {
  const { Payment: Payments } = models;
  const selectPayments = selectFrom(Payments);
  // Read by every settlement job and most payment screens: hand-written (see selectFrom).
  const get = (id: string, opts: TxOptions = {}) => queryOne<Payment>(sequelize, `${selectPayments} WHERE id = $1`, [id], opts);
  const paymentColumns = aliasedColumns(Payments, 'p', 'payment');
  /** Payments matching `where` (over `params`) in `(created_at, id)` order after `after`, a page at a time: the sweeps' keyset walk. */
  const pageByCreation = (
    where: string,
    params: unknown[],
    { after, limit }: { after?: { createdAt: Date; id: string }; limit: number },
    opts: TxOptions,
  ) => {
    const n = params.length;
    return queryRows<Payment>(
      sequelize,
      `${selectPayments} WHERE ${where}
         AND ($${n + 1}::timestamptz IS NULL OR (created_at, id) > ($${n + 1}::timestamptz, $${n + 2}::uuid))
       ORDER BY created_at, id LIMIT $${n + 3}`,
      [...params, after?.createdAt ?? null, after?.id ?? null, limit],
      opts,
    );
  };
  const customerColumns = aliasedColumns(models.User, 'u', 'customer');

  /**
   * The move as one conditional UPDATE (allowed only from a status that may lead to `to`); when
   * it matches nothing, the row tells whether that was a repeat, an illegal move or no payment.
   */
  const applyTransition = async (
    id: string,
    to: PaymentStatus,
    details: TransitionDetails,
    opts: TransitionOptions,
  ): Promise<{ payment: Payment; changed: boolean }> => {
    const sources = to === 'succeeded' && opts.lateSuccess ? [...SOURCES[to], ...LATE_SUCCESS_SOURCES] : SOURCES[to];
    const bind: unknown[] = [id, to, sources];
    const assign = (column: string, value: unknown, expr = (param: string) => param) => {
      bind.push(value);
      return `, ${column} = ${expr(`$${bind.length}`)}`;
    };
    const now = new Date();
    const sql =
      'UPDATE payments SET status = $2, updated_at = now()' +
      (to === 'succeeded' ? assign('paid_at', details.paidAt ?? now) : '') +
      (to === 'refunded' ? assign('refunded_at', now) : '') +
      (to === 'failed' || to === 'cancelled' || (to === 'succeeded' && details.failureReason !== undefined)
        ? assign('failure_reason', details.failureReason ?? null)
        : '') +
      (details.savedPaymentMethodId !== undefined ? assign('saved_payment_method_id', details.savedPaymentMethodId) : '') +
      (details.externalId !== undefined ? assign('external_id', details.externalId) : '') +
      (details.metadata ? assign('metadata', JSON.stringify(details.metadata), (p) => `metadata || ${p}::jsonb`) : '') +
      ' WHERE id = $1 AND status = ANY($3::payment_status[]) RETURNING *';
    const row = await queryOne<Payment>(sequelize, sql, bind, opts);
    if (row) return { payment: row, changed: true };
    const current = required(await get(id, opts), 'payment', id);
    if (current.status === to) return { payment: current, changed: false };
    throw new IllegalTransitionError('payment', id, current.status, to);
  };

  return {
    get,
    /**
     * Inserts the payment, or returns the existing one with the same idempotency key
     * (`created: false`). Atomic under concurrency.
     */
    async create(input: PaymentInput, opts: TxOptions = {}): Promise<{ payment: Payment; created: boolean }> {
      const row = await queryOne<Payment>(
        sequelize,
        `INSERT INTO payments (user_id, provider, idempotency_key, amount_minor, currency, kind, plan_id, subscription_id,
           promo_code_id, discount_minor, saved_payment_method_id, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
        [
          input.userId,
          input.provider,
          input.idempotencyKey,
          input.amountMinor,
          input.currency,
          input.kind ?? 'purchase',
          input.planId ?? null,
          input.subscriptionId ?? null,
          input.promoCodeId ?? null,
          input.discountMinor ?? 0,
          input.savedPaymentMethodId ?? null,
          JSON.stringify(input.metadata ?? {}),
        ],
        opts,
      );
      if (row) return { payment: row, created: true };
      const existing = plain(
        await Payments.findOne({
          where: { idempotencyKey: input.idempotencyKey },
          transaction: opts.transaction,
        }),
      );
      return { payment: required(existing, 'payment', input.idempotencyKey), created: false };
    },
    /** `SELECT ... FOR UPDATE`: settlement holds this lock until its transaction ends. */
    async lockForUpdate(id: string, opts: Required<TxOptions>): Promise<Payment | null> {
      return queryOne<Payment>(sequelize, 'SELECT * FROM payments WHERE id = $1 FOR UPDATE', [id], opts);
    },
    /**
     * The payment (by our id, or by the provider's) and its customer, both locked `FOR UPDATE`
     * in one round trip, payment first: settlement's two locks. Null when there is no such payment.
     */
    async lockWithCustomer(
      ref: { id: string } | { provider: PaymentProvider; externalId: string },
      opts: Required<TxOptions>,
    ): Promise<{ payment: Payment; customer: User } | null> {
      const where = 'id' in ref ? 'p.id = $1' : 'p.provider = $1 AND p.external_id = $2';
      const rows = await sequelize.query<{ payment: Payment; customer: User }>(
        `SELECT ${paymentColumns}, ${customerColumns} FROM payments p JOIN users u ON u.id = p.user_id
         WHERE ${where} FOR UPDATE OF p, u`,
        {
          bind: 'id' in ref ? [ref.id] : [ref.provider, ref.externalId],
          type: QueryTypes.SELECT,
          nest: true,
          transaction: opts.transaction,
        },
      );
      return rows[0] ?? null;
    },
    async findByExternal(provider: PaymentProvider, externalId: string, opts: TxOptions = {}): Promise<Payment | null> {
      return plain(await Payments.findOne({ where: { provider, externalId }, transaction: opts.transaction }));
    },
    async findByIdempotencyKey(idempotencyKey: string, opts: TxOptions = {}): Promise<Payment | null> {
      return plain(await Payments.findOne({ where: { idempotencyKey }, transaction: opts.transaction }));
    },
    /** Records what the provider answered on creation (its id and the page to pay on). */
    async attachExternal(
      id: string,
      data: { externalId: string; confirmationUrl?: string | null },
      opts: TxOptions = {},
    ): Promise<Payment> {
      const [, rows] = await Payments.update(
        { externalId: data.externalId, confirmationUrl: data.confirmationUrl ?? null },
        { where: { id }, returning: true, transaction: opts.transaction },
      );
      return required(plain(rows[0] ?? null), 'payment', id);
    },
    /**
     * Moves the payment to `to` under a row lock. Re-applying the current status is a no-op
     * (`changed: false`) so a notification delivered twice settles once; any move not in
     * `PAYMENT_TRANSITIONS` throws `IllegalTransitionError` and writes nothing. A caller that
     * already holds the row lock (`lockForUpdate` in the same transaction) passes
     * `{ locked: true }`: no second lock, one conditional UPDATE. `{ lateSuccess: true }` also
     * admits `failed | cancelled → succeeded`.
     */
    async transition(
      id: string,
      to: PaymentStatus,
      details: TransitionDetails = {},
      opts: TransitionOptions = {},
    ): Promise<{ payment: Payment; changed: boolean }> {
      if (opts.locked) return applyTransition(id, to, details, opts);
      return inTx(sequelize, opts, async (transaction) => {
        const current = required(plain(await Payments.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })), 'payment', id);
        if (current.status === to) return { payment: current, changed: false };
        const late = to === 'succeeded' && opts.lateSuccess === true && LATE_SUCCESS_SOURCES.includes(current.status);
        if (!PAYMENT_TRANSITIONS[current.status].includes(to) && !late) throw new IllegalTransitionError('payment', id, current.status, to);
        return applyTransition(id, to, details, { transaction, lateSuccess: opts.lateSuccess });
      });
    },
    /**
     * Closed payments (`succeeded`, `failed`, `cancelled`) created in [`from`, `to`), in creation
     * order, a page at a time after `after` (the last row of the previous page): a day's work list
     * for the daily reconciliation with the providers.
     */
    async listClosedCreatedBetween(
      from: Date,
      to: Date,
      options: { after?: { createdAt: Date; id: string }; limit?: number } = {},
      opts: TxOptions = {},
    ): Promise<Payment[]> {
      return pageByCreation(
        `created_at >= $1 AND created_at < $2 AND status IN ('succeeded', 'failed', 'cancelled')`,
        [from, to],
        {
          limit: 500,
          ...options,
        },
        opts,
      );
    },
    /**
     * Pending payments created before `olderThan` in `(created_at, id)` order after `after`: the
     * poll's and the reconciliation's work list, walked page by page so no run is stuck on the oldest.
     */
    async listPendingOlderThan(
      olderThan: Date,
      options: { after?: { createdAt: Date; id: string }; limit?: number } = {},
      opts: TxOptions = {},
    ): Promise<Payment[]> {
      return pageByCreation(`status = 'pending' AND created_at < $1`, [olderThan], { limit: 100, ...options }, opts);
    },
    /** Staff lists, newest first, paged by `(created_at, id)` of the previous page's last row. */
    async listForStaff(
      filter: { status?: PaymentStatus; provider?: string; userId?: number; before?: { createdAt: Date; id: string }; limit?: number } = {},
      opts: TxOptions = {},
    ): Promise<Payment[]> {
      return queryRows<Payment>(
        sequelize,
        `SELECT * FROM payments
          WHERE ($1::text IS NULL OR status::text = $1) AND ($2::text IS NULL OR provider::text = $2) AND ($3::int IS NULL OR user_id = $3)
            AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5::uuid))
          ORDER BY created_at DESC, id DESC LIMIT $6`,
        [
          filter.status ?? null,
          filter.provider ?? null,
          filter.userId ?? null,
          filter.before?.createdAt ?? null,
          filter.before?.id ?? null,
          Math.min(filter.limit ?? 50, 200),
        ],
        opts,
      );
    },
    async listByUser(userId: number, options: { limit?: number; status?: PaymentStatus } = {}, opts: TxOptions = {}): Promise<Payment[]> {
      // The buy screen asks for the pending one on every visit: hand-written (see selectFrom).
      const where = options.status ? 'WHERE user_id = $1 AND status = $3' : 'WHERE user_id = $1';
      const bind = options.status ? [userId, options.limit ?? 20, options.status] : [userId, options.limit ?? 20];
      return queryRows<Payment>(sequelize, `${selectPayments} ${where} ORDER BY created_at DESC LIMIT $2`, bind, opts);
    },
    /**
     * How many of the user's payments were ever paid (`succeeded` or `refunded`), leaving out
     * `excludingPaymentId` (the one being settled): "is this their first paid payment?".
     */
    async countPaidByUser(userId: number, options: { excludingPaymentId?: string } = {}, opts: TxOptions = {}): Promise<number> {
      const row = await queryOne<{ n: number }>(
        sequelize,
        `SELECT count(*)::int AS n FROM payments
         WHERE user_id = $1 AND status IN ('succeeded', 'refunded') AND ($2::uuid IS NULL OR id <> $2::uuid)`,
        [userId, options.excludingPaymentId ?? null],
        opts,
      );
      return row?.n ?? 0;
    },
    /**
     * Shallow-merges `metadata` into the payment's without a status change (partial refunds);
     * the caller holds the row lock. Returns the row, or null when there is no such payment.
     */
    async mergeMetadata(id: string, metadata: Record<string, unknown>, opts: TxOptions = {}): Promise<Payment | null> {
      return queryOne<Payment>(
        sequelize,
        'UPDATE payments SET metadata = metadata || $2::jsonb, updated_at = now() WHERE id = $1 RETURNING *',
        [id, JSON.stringify(metadata)],
        opts,
      );
    },
    /** Succeeded (not refunded) revenue since `since`, per currency, in minor units. */
    async revenueSince(since: Date, opts: TxOptions = {}): Promise<Record<string, number>> {
      const row = await queryOne<{ totals: Record<string, number> | null }>(
        sequelize,
        `SELECT jsonb_object_agg(currency, total) AS totals FROM (
           SELECT currency, sum(amount_minor)::bigint AS total FROM payments
           WHERE status = 'succeeded' AND paid_at >= $1 GROUP BY currency) t`,
        [since],
        opts,
      );
      return row?.totals ?? {};
    },
  };
}

export type PaymentsRepository = ReturnType<typeof createPaymentsRepository>;
