import type { Broadcast, BroadcastDelivery, BroadcastStatus, DeliveryStatus } from '../models/index.js';
import { plain, plainAll, queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';

/**
 * Who receives a broadcast. Users who are blocked by an admin or blocked our bot never do.
 * - `subscription`: `active` (has a live active one), `none` (never had one), `expired` (had, none live).
 */
export interface BroadcastAudience {
  language?: string;
  subscription?: 'active' | 'none' | 'expired';
  source?: string;
}

export type BroadcastInput = Pick<Broadcast, 'text'> &
  Partial<Pick<Broadcast, 'createdBy' | 'media' | 'scheduledAt' | 'status'>> & {
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
      details: { error?: string | null; messageId?: number | null } = {},
      opts: TxOptions = {},
    ): Promise<boolean> {
      const rows = await queryRows(
        sequelize,
        `WITH d AS (
           UPDATE broadcast_deliveries SET status = $2::delivery_status, error = $3, message_id = $4,
             sent_at = CASE WHEN $2 = 'sent' THEN now() END
           WHERE id = $1 AND status = 'pending' RETURNING broadcast_id)
         UPDATE broadcasts b SET updated_at = now(),
           sent_count = sent_count + ($2 = 'sent')::int,
           failed_count = failed_count + ($2 = 'failed')::int,
           blocked_count = blocked_count + ($2 = 'blocked')::int
         FROM d WHERE b.id = d.broadcast_id RETURNING b.id`,
        [id, status, details.error ?? null, details.messageId ?? null],
        opts,
      );
      return rows.length === 1;
    },
  };
}

export type BroadcastsRepository = ReturnType<typeof createBroadcastsRepository>;
