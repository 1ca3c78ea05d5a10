import { Op } from 'sequelize';
import { IllegalTransitionError } from '../errors.js';
import type { Payment, PaymentKind, PaymentProvider, PaymentStatus } from '../models/index.js';
import {
  inTx,
  plain,
  plainAll,
  queryOne,
  required,
  type RepoDeps,
  type TxOptions,
} from './base.js';

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

/** The only moves a payment can make; everything else (backwards, sideways) is refused. */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ['succeeded', 'failed', 'cancelled'],
  succeeded: ['refunded'],
  failed: [],
  cancelled: [],
  refunded: [],
};

/** Facts recorded together with a transition. */
export interface TransitionDetails {
  paidAt?: Date;
  failureReason?: string | null;
  savedPaymentMethodId?: string | null;
  externalId?: string;
  /** Shallow-merged into `metadata`. */
  metadata?: Record<string, unknown>;
}

export function createPaymentsRepository({ sequelize, models }: RepoDeps) {
  const { Payment: Payments } = models;
  const get = async (id: string, opts: TxOptions = {}) =>
    plain(await Payments.findByPk(id, { transaction: opts.transaction }));

  return {
    get,
    /**
     * Inserts the payment, or returns the existing one with the same idempotency key
     * (`created: false`). Atomic under concurrency.
     */
    async create(
      input: PaymentInput,
      opts: TxOptions = {},
    ): Promise<{ payment: Payment; created: boolean }> {
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
      return plain(
        await Payments.findByPk(id, {
          transaction: opts.transaction,
          lock: opts.transaction.LOCK.UPDATE,
        }),
      );
    },
    async findByExternal(
      provider: PaymentProvider,
      externalId: string,
      opts: TxOptions = {},
    ): Promise<Payment | null> {
      return plain(
        await Payments.findOne({ where: { provider, externalId }, transaction: opts.transaction }),
      );
    },
    async findByIdempotencyKey(
      idempotencyKey: string,
      opts: TxOptions = {},
    ): Promise<Payment | null> {
      return plain(
        await Payments.findOne({ where: { idempotencyKey }, transaction: opts.transaction }),
      );
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
     * `PAYMENT_TRANSITIONS` throws `IllegalTransitionError` and writes nothing.
     */
    async transition(
      id: string,
      to: PaymentStatus,
      details: TransitionDetails = {},
      opts: TxOptions = {},
    ): Promise<{ payment: Payment; changed: boolean }> {
      return inTx(sequelize, opts, async (transaction) => {
        const current = required(
          plain(await Payments.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })),
          'payment',
          id,
        );
        if (current.status === to) return { payment: current, changed: false };
        if (!PAYMENT_TRANSITIONS[current.status].includes(to))
          throw new IllegalTransitionError('payment', id, current.status, to);
        const now = new Date();
        const [, rows] = await Payments.update(
          {
            status: to,
            ...(to === 'succeeded' ? { paidAt: details.paidAt ?? now } : {}),
            ...(to === 'refunded' ? { refundedAt: now } : {}),
            ...(to === 'failed' || to === 'cancelled'
              ? { failureReason: details.failureReason ?? null }
              : {}),
            ...(details.savedPaymentMethodId !== undefined
              ? { savedPaymentMethodId: details.savedPaymentMethodId }
              : {}),
            ...(details.externalId !== undefined ? { externalId: details.externalId } : {}),
            ...(details.metadata ? { metadata: { ...current.metadata, ...details.metadata } } : {}),
          },
          { where: { id, status: current.status }, returning: true, transaction },
        );
        return { payment: required(plain(rows[0] ?? null), 'payment', id), changed: true };
      });
    },
    /** Pending payments created before `olderThan`, oldest first: the status poller's work list. */
    async listPendingOlderThan(
      olderThan: Date,
      limit = 100,
      opts: TxOptions = {},
    ): Promise<Payment[]> {
      return plainAll(
        await Payments.findAll({
          where: { status: 'pending', createdAt: { [Op.lt]: olderThan } },
          order: [['createdAt', 'ASC']],
          limit,
          transaction: opts.transaction,
        }),
      );
    },
    async listByUser(
      userId: number,
      options: { limit?: number; status?: PaymentStatus } = {},
      opts: TxOptions = {},
    ): Promise<Payment[]> {
      return plainAll(
        await Payments.findAll({
          where: options.status ? { userId, status: options.status } : { userId },
          order: [['createdAt', 'DESC']],
          limit: options.limit ?? 20,
          transaction: opts.transaction,
        }),
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
