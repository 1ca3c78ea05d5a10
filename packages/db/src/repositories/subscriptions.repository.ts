import { Op, type WhereOptions } from 'sequelize';
import { DbError, isUniqueViolation, VersionConflictError } from '../errors.js';
import { LIVE_SUBSCRIPTION_STATUSES, type Subscription, type SubscriptionStatus } from '../models/index.js';
import { plain, plainAll, queryOne, queryRows, required, type RepoDeps, type TxOptions } from './base.js';
import { assignments, Binds, columnsOf, insertStatement } from './sql-parts.js';
import { withHistory, type SubscriptionHistory } from './subscription-writes.js';

export type { SubscriptionHistory } from './subscription-writes.js';

/** Fields a caller may set; `version` is managed here. */
export type SubscriptionPatch = Partial<Omit<Subscription, 'id' | 'userId' | 'version' | 'createdAt' | 'updatedAt'>>;
export type SubscriptionInput = SubscriptionPatch & { userId: number };

export interface SubscriptionWriteOptions extends TxOptions {
  /** The lifecycle event to record with the change, in the same statement. */
  history?: SubscriptionHistory;
}

export interface SubscriptionUpdateOptions extends SubscriptionWriteOptions {
  /** Optimistic check: refuse with `VersionConflictError` unless the row is still at this version. */
  expectedVersion?: number;
}

/** A user's live subscription first, else the newest (at most one is live: a partial unique index). */
const CURRENT_OR_LATEST = `SELECT * FROM subscriptions WHERE user_id = $1
  ORDER BY status = ANY($2::subscription_status[]) DESC, created_at DESC, id DESC
  LIMIT 1`;

export function createSubscriptionsRepository({ sequelize, models }: RepoDeps) {
  const { Subscription: Subs } = models;
  const columns = columnsOf(Subs);
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
    /**
     * The user's live subscription, else their most recent one, locked `FOR UPDATE` in one
     * statement (null when they never had one). Take the customer lock
     * (`users.lockForUpdate`) first: it is what keeps a second subscription from appearing.
     */
    async lockCurrentForUser(userId: number, opts: Required<TxOptions>): Promise<Subscription | null> {
      return queryOne<Subscription>(sequelize, `${CURRENT_OR_LATEST} FOR UPDATE`, [userId, LIVE_SUBSCRIPTION_STATUSES], opts);
    },
    /**
     * The user's live subscription, else their most recent one (null when they never had one),
     * in one statement: what the client bot shows on nearly every screen.
     */
    async getCurrentOrLatestForUser(userId: number, opts: TxOptions = {}): Promise<Subscription | null> {
      return queryOne<Subscription>(sequelize, CURRENT_OR_LATEST, [userId, LIVE_SUBSCRIPTION_STATUSES], opts);
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
    /**
     * Inserts the subscription; with `history`, its first `subscription_events` row goes in by
     * the same statement. @throws DbError `CONFLICT` when the user already has a live subscription.
     */
    async create(input: SubscriptionInput, opts: SubscriptionWriteOptions = {}): Promise<Subscription> {
      const binds = new Binds();
      const sql = withHistory(insertStatement('subscriptions', columns, input, binds), opts.history, binds);
      try {
        return required(await queryOne<Subscription>(sequelize, sql, binds.values, opts), 'subscription', input.userId);
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
     * they reflect; with `history`, the `subscription_events` row goes in by the same statement.
     * @throws VersionConflictError / DbError `NOT_FOUND`.
     */
    async update(id: number, patch: SubscriptionPatch, opts: SubscriptionUpdateOptions = {}): Promise<Subscription> {
      const binds = new Binds();
      const set = [...assignments(columns, patch, binds), 'version = version + 1', 'updated_at = now()'];
      const where = [`id = ${binds.add(id)}`];
      if (opts.expectedVersion !== undefined) where.push(`version = ${binds.add(opts.expectedVersion)}`);
      const write = `UPDATE subscriptions SET ${set.join(', ')} WHERE ${where.join(' AND ')}`;
      const row = await queryOne<Subscription>(sequelize, withHistory(write, opts.history, binds), binds.values, opts);
      if (row) return row;
      if (opts.expectedVersion !== undefined && (await Subs.count({ where: { id }, transaction: opts.transaction })) > 0) {
        throw new VersionConflictError('subscription', id, opts.expectedVersion);
      }
      throw new DbError('NOT_FOUND', `subscription ${id} not found`, { id });
    },
    /** The subscriptions with these ids, in one statement (missing ids are left out). */
    async listByIds(ids: readonly number[], opts: TxOptions = {}): Promise<Subscription[]> {
      if (ids.length === 0) return [];
      return queryRows<Subscription>(sequelize, 'SELECT * FROM subscriptions WHERE id = ANY($1::bigint[])', [ids], opts);
    },
    /** Subscriptions in `status` (default active) ending in [from, to): the reminder sweep. */
    async listEndingBetween(from: Date, to: Date, options: { status?: SubscriptionStatus; limit?: number } = {}, opts: TxOptions = {}) {
      return list({ status: options.status ?? 'active', endsAt: { [Op.gte]: from, [Op.lt]: to } }, options.limit ?? 500, opts);
    },
    /** Still `active` although `ends_at` has passed: the expiry sweep. */
    async listExpiredButActive(now: Date = new Date(), limit = 500, opts: TxOptions = {}): Promise<Subscription[]> {
      return list({ status: 'active', endsAt: { [Op.lte]: now } }, limit, opts);
    },
    /**
     * Running subscriptions (active, not past their end) with no `synced` vpn_accounts row on
     * their own server — never placed, placed but the row never written, or the row stuck
     * pending/failed: customers who paid and may have no access. Reconciliation reports and
     * repairs them. Only rows unchanged since `changedBefore`, so work still in flight (a
     * settlement whose provisioning job is queued) is not reported. Oldest id first, paged by `afterId`.
     */
    async listRunningWithoutSyncedAccount(
      options: { now?: Date; changedBefore?: Date; afterId?: number; limit?: number } = {},
      opts: TxOptions = {},
    ): Promise<Subscription[]> {
      const now = options.now ?? new Date();
      return queryRows<Subscription>(
        sequelize,
        `SELECT s.* FROM subscriptions s
         WHERE s.status = 'active' AND (s.ends_at IS NULL OR s.ends_at > $1) AND s.updated_at <= $2 AND s.id > $3
           AND NOT EXISTS (SELECT 1 FROM vpn_accounts a
                           WHERE a.subscription_id = s.id AND a.server_id = s.server_id AND a.sync_state = 'synced')
         ORDER BY s.id LIMIT $4`,
        [now, options.changedBefore ?? now, options.afterId ?? 0, options.limit ?? 500],
        opts,
      );
    },
    /** Active auto-renew subscriptions ending before `before` whose next attempt is due. */
    async listDueForAutoRenew(before: Date, options: { now?: Date; maxFailures?: number; limit?: number } = {}, opts: TxOptions = {}) {
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
    /**
     * The auto-renew sweep's work list in one query: auto-renew on, not a trial, a saved method,
     * fewer than `maxFailures` failures, no retry scheduled after `now`, and an end in
     * [`from`, `to`]: still `active` (ending soon, or ended and not yet swept) or already
     * `expired` by the sweep but within the grace period. Soonest end first, paged on
     * `(ends_at, id)` after `after`. The first four conditions are the predicate of the partial
     * index `subscriptions_renewal_candidates_idx (ends_at, id)`: the scan reads only
     * subscriptions that could renew (a few per cent of them), never every one ending in the window.
     */
    async listRenewalCandidates(
      window: { from: Date; to: Date; now?: Date; maxFailures?: number; limit?: number; after?: { endsAt: Date; id: number } },
      opts: TxOptions = {},
    ): Promise<Subscription[]> {
      const after = window.after ?? { endsAt: window.from, id: 0 };
      return queryRows<Subscription>(
        sequelize,
        `SELECT * FROM subscriptions
         WHERE status IN ('active', 'expired') AND auto_renew AND NOT is_trial AND saved_payment_method_id IS NOT NULL
           AND ends_at >= $1 AND ends_at <= $2 AND ends_at >= $6 AND (ends_at, id) > ($6::timestamptz, $7::bigint)
           AND renewal_failures < $4 AND (next_renewal_attempt_at IS NULL OR next_renewal_attempt_at <= $3)
         ORDER BY ends_at ASC, id ASC LIMIT $5`,
        [window.from, window.to, window.now ?? new Date(), window.maxFailures ?? 1_000, window.limit ?? 200, after.endsAt, after.id],
        opts,
      );
    },
    /** Subscriptions per status (admin stats). */
    async countByStatus(opts: TxOptions = {}): Promise<Partial<Record<SubscriptionStatus, number>>> {
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
