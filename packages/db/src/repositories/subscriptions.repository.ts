import { Op, type WhereOptions } from 'sequelize';
import { DbError, isUniqueViolation, VersionConflictError } from '../errors.js';
import {
  LIVE_SUBSCRIPTION_STATUSES,
  type Subscription,
  type SubscriptionStatus,
} from '../models/index.js';
import { plain, plainAll, queryOne, type RepoDeps, type TxOptions } from './base.js';

/** Fields a caller may set; `version` is managed here. */
export type SubscriptionPatch = Partial<
  Omit<Subscription, 'id' | 'userId' | 'version' | 'createdAt' | 'updatedAt'>
>;
export type SubscriptionInput = SubscriptionPatch & { userId: number };

export interface SubscriptionUpdateOptions extends TxOptions {
  /** Optimistic check: refuse with `VersionConflictError` unless the row is still at this version. */
  expectedVersion?: number;
}

export function createSubscriptionsRepository({ sequelize, models }: RepoDeps) {
  const { Subscription: Subs } = models;
  const list = async (where: WhereOptions<Subscription>, limit: number, opts: TxOptions) =>
    plainAll(
      await Subs.findAll({
        where,
        order: [
          ['endsAt', 'ASC'],
          ['id', 'ASC'],
        ],
        limit,
        transaction: opts.transaction,
      }),
    );

  return {
    async get(id: number, opts: TxOptions = {}): Promise<Subscription | null> {
      return plain(await Subs.findByPk(id, { transaction: opts.transaction }));
    },
    /** `SELECT ... FOR UPDATE` inside the caller's transaction: the row stays locked until it ends. */
    async lockForUpdate(id: number, opts: Required<TxOptions>): Promise<Subscription | null> {
      return plain(
        await Subs.findByPk(id, {
          transaction: opts.transaction,
          lock: opts.transaction.LOCK.UPDATE,
        }),
      );
    },
    /** The user's one live subscription (pending, active or suspended), or null. */
    async getCurrentForUser(userId: number, opts: TxOptions = {}): Promise<Subscription | null> {
      return plain(
        await Subs.findOne({
          where: { userId, status: [...LIVE_SUBSCRIPTION_STATUSES] },
          transaction: opts.transaction,
        }),
      );
    },
    /** The most recent subscription in any status (to show "expired on ..."). */
    async getLatestForUser(userId: number, opts: TxOptions = {}): Promise<Subscription | null> {
      return plain(
        await Subs.findOne({
          where: { userId },
          order: [
            ['createdAt', 'DESC'],
            ['id', 'DESC'],
          ],
          transaction: opts.transaction,
        }),
      );
    },
    async listByUser(userId: number, opts: TxOptions = {}): Promise<Subscription[]> {
      return plainAll(
        await Subs.findAll({
          where: { userId },
          order: [
            ['createdAt', 'DESC'],
            ['id', 'DESC'],
          ],
          transaction: opts.transaction,
        }),
      );
    },
    /** @throws DbError `CONFLICT` when the user already has a live subscription. */
    async create(input: SubscriptionInput, opts: TxOptions = {}): Promise<Subscription> {
      try {
        return (await Subs.create(input, { transaction: opts.transaction })).get({ plain: true });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DbError('CONFLICT', `user ${input.userId} already has a live subscription`, {
            userId: input.userId,
          });
        throw error;
      }
    },
    /**
     * Applies `patch` and bumps `version` in one statement, so VPN accounts can tell which state
     * they reflect. @throws VersionConflictError / DbError `NOT_FOUND`.
     */
    async update(
      id: number,
      patch: SubscriptionPatch,
      opts: SubscriptionUpdateOptions = {},
    ): Promise<Subscription> {
      const where =
        opts.expectedVersion === undefined ? { id } : { id, version: opts.expectedVersion };
      const [, rows] = await Subs.update(
        { ...patch, version: sequelize.literal('version + 1') },
        { where, returning: true, transaction: opts.transaction },
      );
      const row = plain(rows[0] ?? null);
      if (row) return row;
      if (
        opts.expectedVersion !== undefined &&
        (await Subs.count({ where: { id }, transaction: opts.transaction })) > 0
      ) {
        throw new VersionConflictError('subscription', id, opts.expectedVersion);
      }
      throw new DbError('NOT_FOUND', `subscription ${id} not found`, { id });
    },
    /** Subscriptions in `status` (default active) ending in [from, to): the reminder sweep. */
    async listEndingBetween(
      from: Date,
      to: Date,
      options: { status?: SubscriptionStatus; limit?: number } = {},
      opts: TxOptions = {},
    ) {
      return list(
        { status: options.status ?? 'active', endsAt: { [Op.gte]: from, [Op.lt]: to } },
        options.limit ?? 500,
        opts,
      );
    },
    /** Still `active` although `ends_at` has passed: the expiry sweep. */
    async listExpiredButActive(
      now: Date = new Date(),
      limit = 500,
      opts: TxOptions = {},
    ): Promise<Subscription[]> {
      return list({ status: 'active', endsAt: { [Op.lte]: now } }, limit, opts);
    },
    /** Active auto-renew subscriptions ending before `before` whose next attempt is due. */
    async listDueForAutoRenew(
      before: Date,
      options: { now?: Date; maxFailures?: number; limit?: number } = {},
      opts: TxOptions = {},
    ) {
      const now = options.now ?? new Date();
      return list(
        {
          status: 'active',
          autoRenew: true,
          endsAt: { [Op.lte]: before },
          renewalFailures: { [Op.lt]: options.maxFailures ?? 1_000 },
          [Op.or]: [{ nextRenewalAttemptAt: null }, { nextRenewalAttemptAt: { [Op.lte]: now } }],
        },
        options.limit ?? 200,
        opts,
      );
    },
    /** Subscriptions per status (admin stats). */
    async countByStatus(
      opts: TxOptions = {},
    ): Promise<Partial<Record<SubscriptionStatus, number>>> {
      const row = await queryOne<{ counts: Record<SubscriptionStatus, number> | null }>(
        sequelize,
        'SELECT jsonb_object_agg(status, n) AS counts FROM (SELECT status, count(*)::int AS n FROM subscriptions GROUP BY status) s',
        [],
        opts,
      );
      return row?.counts ?? {};
    },
  };
}

export type SubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>;
