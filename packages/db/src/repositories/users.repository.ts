import { randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import { isUniqueViolation } from '../errors.js';
import type { User } from '../models/index.js';
import { subscriptionToken } from '../subscription-token.js';
import { plain, queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';
import { escapeLike, selectFrom } from './sql-parts.js';

/** What Telegram tells us about a person (`ctx.from`). */
export interface TelegramProfile {
  telegramId: number;
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  languageCode?: string | null;
}

/** Facts only recorded when the user is first seen (deep-link referral / campaign). */
export interface FirstSeen {
  referrerId?: number | null;
  source?: string | null;
}

/** 8 URL-safe characters (48 random bits): short enough for a deep link, collisions retried. */
export function newReferralCode(): string {
  return randomBytes(6).toString('base64url');
}

export function createUsersRepository({ sequelize, models, cipher }: RepoDeps) {
  const { User: Users } = models;
  const selectUsers = selectFrom(Users);
  const byId = async (id: number, opts: TxOptions = {}) => plain(await Users.findByPk(id, opts));
  const updateOne = async (id: number, values: Partial<User>, opts: TxOptions) => {
    const [, rows] = await Users.update(values, {
      where: { id },
      returning: true,
      transaction: opts.transaction,
    });
    return plain(rows[0] ?? null);
  };

  return {
    findById: byId,
    async findByTelegramId(telegramId: number, opts: TxOptions = {}): Promise<User | null> {
      // Every update of a customer not in the bot's cache starts here: hand-written (see selectFrom).
      return queryOne<User>(sequelize, `${selectUsers} WHERE telegram_id = $1`, [telegramId], opts);
    },
    async findByReferralCode(code: string, opts: TxOptions = {}): Promise<User | null> {
      return plain(await Users.findOne({ where: { referralCode: code }, transaction: opts.transaction }));
    },
    async findBySupportTopic(topicId: number, opts: TxOptions = {}): Promise<User | null> {
      return plain(await Users.findOne({ where: { supportTopicId: topicId }, transaction: opts.transaction }));
    },

    /**
     * Creates the user on first contact or refreshes the Telegram names, in one atomic statement
     * (parallel updates from the same person never make two rows). Referrer, source and language
     * are only written on creation; `created` tells the caller to run first-visit logic.
     */
    async upsertFromTelegram(
      profile: TelegramProfile,
      first: FirstSeen = {},
      opts: TxOptions = {},
    ): Promise<{ user: User; created: boolean }> {
      for (let attempt = 0; ; attempt++) {
        try {
          const row = await queryOne<User & { created: boolean }>(
            sequelize,
            `INSERT INTO users (telegram_id, username, first_name, last_name, language_code, referrer_id, referral_code, source, last_activity_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
             ON CONFLICT (telegram_id) DO UPDATE SET username = EXCLUDED.username, first_name = EXCLUDED.first_name,
               last_name = EXCLUDED.last_name, last_activity_at = now(), updated_at = now()
             RETURNING *, (xmax = 0) AS created`,
            [
              profile.telegramId,
              profile.username ?? null,
              profile.firstName ?? null,
              profile.lastName ?? null,
              profile.languageCode ?? null,
              first.referrerId ?? null,
              newReferralCode(),
              first.source ?? null,
            ],
            opts,
          );
          const { created, ...user } = row!;
          return { user, created };
        } catch (error) {
          // Only a referral-code collision is retried (telegram_id conflicts are absorbed above).
          if (attempt >= 3 || !isUniqueViolation(error) || opts.transaction) throw error;
        }
      }
    },

    async setLanguage(userId: number, languageCode: string, opts: TxOptions = {}): Promise<User | null> {
      return updateOne(userId, { languageCode }, opts);
    },
    async setEmail(userId: number, email: string | null, opts: TxOptions = {}): Promise<User | null> {
      return updateOne(userId, { email }, opts);
    },
    async setSupportTopic(userId: number, supportTopicId: number | null, opts: TxOptions = {}): Promise<User | null> {
      return updateOne(userId, { supportTopicId }, opts);
    },
    /** Admin block (the customer may not use the bot); `reason` is shown in the admin card. */
    async setBlocked(userId: number, blocked: boolean, reason: string | null = null, opts: TxOptions = {}): Promise<User | null> {
      return updateOne(userId, { blocked, blockedReason: blocked ? reason : null }, opts);
    },
    /** The customer blocked our bot (Telegram 403); keyed by Telegram id because that is what the error carries. */
    async markBotBlocked(telegramId: number, opts: TxOptions = {}): Promise<boolean> {
      const [n] = await Users.update(
        { botBlockedAt: new Date() },
        { where: { telegramId, botBlockedAt: null }, transaction: opts.transaction },
      );
      return n > 0;
    },
    /** The customer wrote to us again, so the bot is no longer blocked. */
    async markBotUnblocked(telegramId: number, opts: TxOptions = {}): Promise<boolean> {
      const [n] = await Users.update(
        { botBlockedAt: null },
        { where: { telegramId, botBlockedAt: { [Op.ne]: null } }, transaction: opts.transaction },
      );
      return n > 0;
    },
    /** Atomically claims the one trial: true for exactly one caller, false if already taken. */
    async markTrialUsed(userId: number, opts: TxOptions = {}): Promise<boolean> {
      const rows = await queryRows(
        sequelize,
        `UPDATE users SET trial_used_at = now(), updated_at = now() WHERE id = $1 AND trial_used_at IS NULL RETURNING id`,
        [userId],
        opts,
      );
      return rows.length === 1;
    },
    /** Staff give the trial back: the next trial claims `trial_used_at` again (see billing's `trialVerdict`). */
    async resetTrial(userId: number, opts: TxOptions = {}): Promise<User | null> {
      return updateOne(userId, { trialUsedAt: null, trialResetAt: new Date() }, opts);
    },
    /**
     * `SELECT ... FOR UPDATE` in the caller's transaction: the customer's row stays locked until
     * it ends, which serialises everything billing does for one customer. Returns the row (null
     * when there is none) so the caller does not read it again.
     */
    async lockForUpdate(id: number, opts: Required<TxOptions>): Promise<User | null> {
      return queryOne<User>(sequelize, 'SELECT * FROM users WHERE id = $1 FOR UPDATE', [id], opts);
    },
    async touchActivity(userId: number, opts: TxOptions = {}): Promise<void> {
      await sequelize.query('UPDATE users SET last_activity_at = now() WHERE id = $1', {
        bind: [userId],
        transaction: opts.transaction,
      });
    },
    async countReferrals(userId: number, opts: TxOptions = {}): Promise<number> {
      return Users.count({ where: { referrerId: userId }, transaction: opts.transaction });
    },
    async count(filter: { createdSince?: Date } = {}, opts: TxOptions = {}): Promise<number> {
      const where = filter.createdSince ? { createdAt: { [Op.gte]: filter.createdSince } } : {};
      return Users.count({ where, transaction: opts.transaction });
    },
    /**
     * Staff lists, newest first, paged by id (`beforeId` = the last id of the previous page):
     * everyone, or those with access running, ending within 3 days, expired (had access, none now), on a trial, who
     * never paid, or blocked.
     */
    async listForStaff(
      filter: { segment?: CustomerSegment; beforeId?: number; limit?: number } = {},
      opts: TxOptions = {},
    ): Promise<User[]> {
      const running = `EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id AND s.status = 'active' AND s.ends_at > now())`;
      const conditions: Record<CustomerSegment, string> = {
        all: 'TRUE',
        active: running,
        expiring: `EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id AND s.status = 'active' AND s.ends_at > now() AND s.ends_at < now() + interval '3 days')`,
        expired: `NOT ${running} AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id)`,
        trial: `EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = u.id AND s.is_trial AND s.status = 'active' AND s.ends_at > now())`,
        never_paid: `NOT EXISTS (SELECT 1 FROM payments p WHERE p.user_id = u.id AND p.status IN ('succeeded', 'refunded'))`,
        blocked: 'u.blocked',
      };
      return queryRows<User>(
        sequelize,
        `SELECT u.* FROM users u WHERE ${conditions[filter.segment ?? 'all']} AND ($1::int IS NULL OR u.id < $1) ORDER BY u.id DESC LIMIT $2`,
        [filter.beforeId ?? null, Math.min(filter.limit ?? 50, 200)],
        opts,
      );
    },
    /**
     * Staff search, newest customers last: an exact Telegram id or our id, referral code, payment
     * id (ours or the provider's), panel username, subscription link or its token alone (links are
     * encrypted, so by the keyed hash of the token), or a prefix of the
     * @username or first name (`lower() LIKE`, `_` `%` `\\` taken literally). Every branch is an
     * index lookup (see the 202612071520 and 202612081100 migrations), so it stays fast on millions of rows.
     */
    async search(query: string, limit = 20, opts: TxOptions = {}): Promise<User[]> {
      const q = query.trim().replace(/^@/, '');
      if (q === '' || q.length > 300) return [];
      // The numeric and uuid tests happen here, not in SQL: PostgreSQL may evaluate a cast early.
      const id = /^\d{1,15}$/.test(q) ? Number(q) : null;
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(q) ? q.toLowerCase() : null;
      return queryRows<User>(
        sequelize,
        `SELECT * FROM users WHERE id IN (
           SELECT id FROM users WHERE telegram_id = $1 OR id = $1
           UNION SELECT id FROM users WHERE referral_code = $2
           UNION SELECT user_id FROM payments WHERE id = $5::uuid OR external_id = $2
           UNION SELECT s.user_id FROM vpn_accounts a JOIN subscriptions s ON s.id = a.subscription_id
                 WHERE a.panel_user_key = $2 OR a.subscription_token_hash = $6
           UNION (SELECT id FROM users WHERE lower(username) LIKE $3 || '%' ORDER BY lower(username) LIMIT $4)
           UNION (SELECT id FROM users WHERE lower(first_name) LIKE $3 || '%' ORDER BY lower(first_name) LIMIT $4)
         ) ORDER BY id LIMIT $4`,
        [id, q, escapeLike(q.toLowerCase()), limit, uuid, cipher.digest(subscriptionToken(q))],
        opts,
      );
    },
  };
}

/** The customer lists staff filter by. */
export const CUSTOMER_SEGMENTS = ['all', 'active', 'expiring', 'expired', 'trial', 'never_paid', 'blocked'] as const;
export type CustomerSegment = (typeof CUSTOMER_SEGMENTS)[number];

export type UsersRepository = ReturnType<typeof createUsersRepository>;
