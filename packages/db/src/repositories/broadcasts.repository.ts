import type { Broadcast, BroadcastDelivery, BroadcastStatus, DeliveryStatus } from '../models/index.js';
import { inTx, plain, plainAll, queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';

/**
 * Who receives a broadcast. Users who are blocked by an admin or blocked our bot never do.
 * - `subscription`: `active` (has a live active one), `none` (never had one), `expired` (had, none live).
 */
export interface BroadcastAudience {
  language?: string;
  subscription?: 'active' | 'none' | 'expired';
  /** With `expired`: the last subscription ended within this many days. */
  expiredWithinDays?: number;
  /** Customers who took the trial and never paid. */
  trialOnly?: boolean;
  /** Customers without a succeeded payment. */
  neverPaid?: boolean;
  /** A live subscription on this plan. */
  planId?: number;
  /** A live VPN account on this server. */
  serverId?: number;
  source?: string;
}

export type BroadcastInput = Pick<Broadcast, 'text'> &
  Partial<Pick<Broadcast, 'createdBy' | 'media' | 'scheduledAt' | 'status' | 'buttons' | 'versions' | 'allowPaid'>> & {
    audience?: BroadcastAudience;
  };

/** SQL condition on `u` (users) for an audience, with its bind values starting at `$<offset+1>`. */
function audienceSql(audience: BroadcastAudience, offset: number): { sql: string; bind: unknown[] } {
  const parts = ['NOT u.blocked', 'u.bot_blocked_at IS NULL'];
  const bind: unknown[] = [];
  const param = (v: unknown) => `$${offset + bind.push(v)}`;
  if (audience.language) parts.push(`coalesce(u.language_code, 'ru') = ${param(audience.language)}`);
  if (audience.source) parts.push(`u.source = ${param(audience.source)}`);
  const live = "EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id AND s.status = 'active')";
  const any = 'EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id)';
  if (audience.subscription === 'active') parts.push(live);
  if (audience.subscription === 'none') parts.push(`NOT ${any}`);
  if (audience.subscription === 'expired') parts.push(`${any} AND NOT ${live}`);
  if (audience.subscription === 'expired' && audience.expiredWithinDays !== undefined)
    parts.push(
      `(SELECT max(s.ends_at) FROM subscriptions s WHERE s.user_id = u.id) >= now() - ${param(audience.expiredWithinDays)} * interval '1 day'`,
    );
  const paid = "EXISTS (SELECT 1 FROM payments p WHERE p.user_id = u.id AND p.status IN ('succeeded', 'refunded'))";
  if (audience.neverPaid || audience.trialOnly) parts.push(`NOT ${paid}`);
  if (audience.trialOnly) parts.push('u.trial_used_at IS NOT NULL');
  if (audience.planId !== undefined)
    parts.push(
      `EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id AND s.status = 'active' AND s.plan_id = ${param(audience.planId)})`,
    );
  if (audience.serverId !== undefined)
    parts.push(
      `EXISTS (SELECT 1 FROM subscriptions s JOIN vpn_accounts a ON a.subscription_id = s.id
        WHERE s.user_id = u.id AND s.status = 'active' AND a.sync_state NOT IN ('deleting', 'deleted') AND a.server_id = ${param(audience.serverId)})`,
    );
  return { sql: parts.join(' AND '), bind };
}

export function createBroadcastsRepository({ sequelize, models }: RepoDeps) {
  const { Broadcast: Broadcasts, BroadcastDelivery: Deliveries } = models;
  return {
    async create(input: BroadcastInput, opts: TxOptions = {}): Promise<Broadcast> {
      const { audience, ...rest } = input;
      return (await Broadcasts.create({ ...rest, audience: { ...audience } }, { transaction: opts.transaction })).get({ plain: true });
    },
    async get(id: number, opts: TxOptions = {}): Promise<Broadcast | null> {
      return plain(await Broadcasts.findByPk(id, { transaction: opts.transaction }));
    },
    async list(limit = 20, opts: TxOptions = {}): Promise<Broadcast[]> {
      return plainAll(await Broadcasts.findAll({ order: [['id', 'DESC']], limit, transaction: opts.transaction }));
    },
    /** Scheduled broadcasts whose time has come. */
    async listDue(now: Date = new Date(), opts: TxOptions = {}): Promise<Broadcast[]> {
      return queryRows<Broadcast>(
        sequelize,
        "SELECT * FROM broadcasts WHERE status = 'scheduled' AND scheduled_at <= $1 ORDER BY scheduled_at",
        [now],
        opts,
      );
    },
    /**
     * Sets the status, optionally only from one of `from` (returns null if the row was elsewhere,
     * e.g. two workers starting the same broadcast: one wins).
     */
    async setStatus(id: number, status: BroadcastStatus, from?: BroadcastStatus[], opts: TxOptions = {}): Promise<Broadcast | null> {
      return queryOne<Broadcast>(
        sequelize,
        `UPDATE broadcasts SET status = $2::broadcast_status, updated_at = now(),
           started_at = CASE WHEN $2 = 'running' THEN coalesce(started_at, now()) ELSE started_at END,
           finished_at = CASE WHEN $2 IN ('done', 'cancelled') THEN now() ELSE finished_at END
         WHERE id = $1 AND ($3::broadcast_status[] IS NULL OR status = ANY($3::broadcast_status[])) RETURNING *`,
        [id, status, from ?? null],
        opts,
      );
    },
    /** Adds one pending delivery per audience member (idempotent) and returns the recipient total. */
    async enqueueDeliveries(broadcastId: number, audience: BroadcastAudience, opts: TxOptions = {}): Promise<number> {
      const cond = audienceSql(audience, 1);
      await sequelize.query(
        `INSERT INTO broadcast_deliveries (broadcast_id, user_id) SELECT $1, u.id FROM users u WHERE ${cond.sql}
         ON CONFLICT (broadcast_id, user_id) DO NOTHING`,
        { bind: [broadcastId, ...cond.bind], transaction: opts.transaction },
      );
      const row = await queryOne<{ totalCount: number }>(
        sequelize,
        `UPDATE broadcasts SET total_count = (SELECT count(*) FROM broadcast_deliveries WHERE broadcast_id = $1), updated_at = now()
         WHERE id = $1 RETURNING total_count`,
        [broadcastId],
        opts,
      );
      return row?.totalCount ?? 0;
    },
    /**
     * Starts a broadcast: `running` (from one of `from`) and one pending row per recipient, in one
     * transaction, so a recipient list exists exactly when the broadcast runs. Returns the
     * recipient count, or null when the broadcast was not in `from` (started already: one wins).
     */
    async start(id: number, from: BroadcastStatus[], options: { allowPaid?: boolean } = {}, opts: TxOptions = {}): Promise<number | null> {
      return inTx(sequelize, opts, async (transaction) => {
        const started = await this.setStatus(id, 'running', from, { transaction });
        if (!started) return null;
        // The operator's paid-broadcast setting as it was when the broadcast started.
        if (options.allowPaid !== undefined)
          await queryRows(sequelize, 'UPDATE broadcasts SET allow_paid = $2 WHERE id = $1 RETURNING id', [id, options.allowPaid], {
            transaction,
          });
        return this.enqueueDeliveries(id, started.audience, { transaction });
      });
    },
    /** Broadcasts being sent now. */
    async listRunning(opts: TxOptions = {}): Promise<Broadcast[]> {
      return queryRows<Broadcast>(sequelize, "SELECT * FROM broadcasts WHERE status = 'running' ORDER BY id", [], opts);
    },
    /** How many users an audience reaches (preview before sending). */
    async countAudience(audience: BroadcastAudience, opts: TxOptions = {}): Promise<number> {
      const cond = audienceSql(audience, 0);
      const row = await queryOne<{ n: number }>(sequelize, `SELECT count(*)::int AS n FROM users u WHERE ${cond.sql}`, cond.bind, opts);
      return row?.n ?? 0;
    },
    /** The next pending deliveries with the recipient's Telegram id, in id order. */
    async listPending(broadcastId: number, limit = 100, opts: TxOptions = {}): Promise<Array<BroadcastDelivery & { telegramId: number }>> {
      return queryRows(
        sequelize,
        `SELECT d.*, u.telegram_id FROM broadcast_deliveries d JOIN users u ON u.id = d.user_id
         WHERE d.broadcast_id = $1 AND d.status = 'pending' ORDER BY d.id LIMIT $2`,
        [broadcastId, limit],
        opts,
      );
    },
    /** Deliveries of a broadcast, optionally in one status (admin drill-down, tests). */
    async listDeliveries(broadcastId: number, status?: DeliveryStatus, opts: TxOptions = {}): Promise<BroadcastDelivery[]> {
      const where = status ? { broadcastId, status } : { broadcastId };
      return plainAll(await Deliveries.findAll({ where, order: [['id', 'ASC']], transaction: opts.transaction }));
    },
    /** Records one delivery result and bumps the broadcast's counters, once per delivery. */
    async markDelivery(
      id: number,
      status: Exclude<DeliveryStatus, 'pending'>,
      details: { error?: string | null; messageId?: number | null; paid?: boolean } = {},
      opts: TxOptions = {},
    ): Promise<boolean> {
      const rows = await queryRows(
        sequelize,
        `WITH d AS (
           UPDATE broadcast_deliveries SET status = $2::delivery_status, error = $3, message_id = $4, paid = $5,
             sent_at = CASE WHEN $2 = 'sent' THEN now() END, claimed_until = NULL
           WHERE id = $1 AND status = 'pending' RETURNING broadcast_id)
         UPDATE broadcasts b SET updated_at = now(),
           sent_count = sent_count + ($2 = 'sent')::int,
           failed_count = failed_count + ($2 = 'failed')::int,
           blocked_count = blocked_count + ($2 = 'blocked')::int,
           paid_count = paid_count + ($5 AND $2 = 'sent')::int
         FROM d WHERE b.id = d.broadcast_id RETURNING b.id`,
        [id, status, details.error ?? null, details.messageId ?? null, details.paid ?? false],
        opts,
      );
      return rows.length === 1;
    },
    ...createDeliveryLeases({ sequelize }),
  };
}

/** A claimed delivery with what the sender needs about its recipient. */
export type ClaimedDelivery = BroadcastDelivery & { telegramId: number; languageCode: string | null };

/**
 * The leases that make a broadcast exactly once per recipient (see the 202612071600 migration):
 * claim a batch (two senders never share a row), write the attempt just before the send, mark
 * the result; a row whose sender died before its attempt comes back after the lease, one that
 * died after it is closed as failed, never sent twice.
 */
function createDeliveryLeases({ sequelize }: Pick<RepoDeps, 'sequelize'>) {
  return {
    /** Claims up to `limit` pending rows nobody holds (or whose holder died before trying), in id order. */
    async claimBatch(broadcastId: number, limit: number, leaseMs: number, opts: TxOptions = {}): Promise<ClaimedDelivery[]> {
      return queryRows(
        sequelize,
        `WITH c AS (
           SELECT id FROM broadcast_deliveries
           WHERE broadcast_id = $1 AND status = 'pending' AND attempted_at IS NULL
             AND (claimed_until IS NULL OR claimed_until < now())
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE broadcast_deliveries d SET claimed_until = now() + $3 * interval '1 millisecond'
         FROM c, users u WHERE d.id = c.id AND u.id = d.user_id
         RETURNING d.*, u.telegram_id, u.language_code`,
        [broadcastId, limit, leaseMs],
        opts,
      ).then((rows) => (rows as ClaimedDelivery[]).sort((a, b) => a.id - b.id));
    },
    /**
     * Records that the send is about to happen; false when the claim has lapsed (or less than
     * `marginMs` is left), and then the row must not be sent by this holder.
     */
    async markAttempt(id: number, marginMs = 0, opts: TxOptions = {}): Promise<boolean> {
      const rows = await queryRows(
        sequelize,
        `UPDATE broadcast_deliveries SET attempted_at = now()
         WHERE id = $1 AND status = 'pending' AND attempted_at IS NULL AND claimed_until > now() + $2 * interval '1 millisecond'
         RETURNING id`,
        [id, marginMs],
        opts,
      );
      return rows.length === 1;
    },
    /** Gives a row back untried (Telegram refused it with 429, or the sender stops): another sender may take it. */
    async release(id: number, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        `UPDATE broadcast_deliveries SET claimed_until = NULL, attempted_at = NULL WHERE id = $1 AND status = 'pending' RETURNING id`,
        [id],
        opts,
      );
    },
    /** Closes rows whose sender died mid-send (attempted, claim lapsed) as failed: they may have arrived, so never again. */
    async closeInDoubt(broadcastId: number, opts: TxOptions = {}): Promise<number> {
      const rows = await queryRows(
        sequelize,
        `WITH d AS (
           UPDATE broadcast_deliveries SET status = 'failed', error = 'in doubt: the sender stopped during the send', claimed_until = NULL
           WHERE broadcast_id = $1 AND status = 'pending' AND attempted_at IS NOT NULL AND claimed_until < now()
           RETURNING broadcast_id)
         UPDATE broadcasts b SET failed_count = failed_count + (SELECT count(*) FROM d), updated_at = now()
         WHERE b.id = $1 AND EXISTS (SELECT 1 FROM d) RETURNING (SELECT count(*) FROM d)::int AS n`,
        [broadcastId],
        opts,
      );
      return (rows[0] as { n?: number } | undefined)?.n ?? 0;
    },
    /** Rows not yet sent, blocked or failed (claimed or not). */
    async countPending(broadcastId: number, opts: TxOptions = {}): Promise<number> {
      const rows = await queryRows<{ n: number }>(
        sequelize,
        `SELECT count(*)::int AS n FROM broadcast_deliveries WHERE broadcast_id = $1 AND status = 'pending'`,
        [broadcastId],
        opts,
      );
      return rows[0]?.n ?? 0;
    },
    /** Sent copies still deletable (Telegram: 48 h; an hour of margin), not yet deleted, in id order. */
    async listDeletable(broadcastId: number, limit: number, opts: TxOptions = {}): Promise<ClaimedDelivery[]> {
      return queryRows(
        sequelize,
        `SELECT d.*, u.telegram_id, u.language_code FROM broadcast_deliveries d JOIN users u ON u.id = d.user_id
         WHERE d.broadcast_id = $1 AND d.status = 'sent' AND d.message_id IS NOT NULL AND d.deleted_at IS NULL
           AND d.sent_at > now() - interval '47 hours'
         ORDER BY d.id LIMIT $2`,
        [broadcastId, limit],
        opts,
      );
    },
    async markDeleted(id: number, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        'UPDATE broadcast_deliveries SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id',
        [id],
        opts,
      );
    },
    /** Where the admin's live progress message is, and its language (the admin's). */
    async setProgressMessage(
      id: number,
      chatId: number,
      messageId: number,
      language: string | null = null,
      opts: TxOptions = {},
    ): Promise<void> {
      await queryRows(
        sequelize,
        'UPDATE broadcasts SET progress_chat_id = $2, progress_message_id = $3, progress_language = $4, updated_at = now() WHERE id = $1 RETURNING id',
        [id, chatId, messageId, language],
        opts,
      );
    },
  };
}

export type BroadcastsRepository = ReturnType<typeof createBroadcastsRepository>;
