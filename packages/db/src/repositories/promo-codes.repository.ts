import { Op } from 'sequelize';
import type { PromoCode, PromoKind, PromoRedemption } from '../models/index.js';
import { inTx, plain, plainAll, queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';

export interface PromoCodeInput {
  code: string;
  kind: PromoKind;
  value: number;
  /** Only for `fixed`: the currency of `value`; omitted = the plan's own currency. */
  currency?: string | null;
  maxUses?: number | null;
  perUserLimit?: number;
  validFrom?: Date | null;
  validUntil?: Date | null;
  planIds?: number[] | null;
  active?: boolean;
  createdBy?: number | null;
}

/** A code's usage for staff (the admin bot's usage view). */
export interface PromoUsage {
  code: string;
  /** Uses spent (redemptions at settlement). */
  uses: number;
  /** Different customers who redeemed it. */
  customers: number;
  /** Paid payments with the code, per currency (refunded ones are not revenue). */
  revenue: { currency: string; payments: number; amountMinor: number }[];
  /** The latest redemptions, newest first, with the customer and their payment. */
  recent: {
    at: Date;
    userId: number;
    telegramId: number;
    username: string | null;
    amountMinor: number | null;
    currency: string | null;
    status: string | null;
  }[];
}

/** Why a redemption was refused. */
export type RedeemRefusal = 'not_found' | 'inactive' | 'not_started' | 'expired' | 'exhausted' | 'per_user_limit';

export type RedeemResult = { ok: true; redemption: PromoRedemption; promo: PromoCode } | { ok: false; reason: RedeemRefusal };

/** Codes are case-insensitive: stored and looked up upper-case, surrounding spaces ignored. */
export const normalizePromoCode = (code: string): string => code.trim().toUpperCase();

export function createPromoCodesRepository({ sequelize, models }: RepoDeps) {
  const { PromoCode: Codes, PromoRedemption: Redemptions } = models;
  const countUserRedemptions = async (promoCodeId: number, userId: number, opts: TxOptions = {}) =>
    Redemptions.count({ where: { promoCodeId, userId }, transaction: opts.transaction });

  const refusal = (promo: PromoCode | null, now: Date): RedeemRefusal => {
    if (!promo) return 'not_found';
    if (!promo.active) return 'inactive';
    if (promo.validFrom && promo.validFrom > now) return 'not_started';
    if (promo.validUntil && promo.validUntil <= now) return 'expired';
    return 'exhausted';
  };

  /** The number of customers holding a use (see `countHolders`), over the given SQL expressions. */
  const holdersSql = (code: string, since: string, user: string) =>
    `SELECT count(DISTINCT p.user_id)::int FROM payments p
     WHERE p.promo_code_id = ${code} AND p.status = 'pending' AND p.created_at >= ${since} AND p.user_id <> ${user}`;

  return {
    countUserRedemptions,
    /**
     * Customers other than `excludingUserId` holding a use of the code: a pending payment with it
     * created at or after `since` (the hold). Counted per customer: one customer's checkouts with
     * several payment methods hold one use.
     */
    async countHolders(promoCodeId: number, hold: { since: Date; excludingUserId: number }, opts: TxOptions = {}): Promise<number> {
      const row = await queryOne<{ n: number }>(
        sequelize,
        `SELECT (${holdersSql('$1', '$2', '$3')}) AS n`,
        [promoCodeId, hold.since, hold.excludingUserId],
        opts,
      );
      return row?.n ?? 0;
    },
    /**
     * Locks the code's row for a checkout that is about to hold a use (`FOR NO KEY UPDATE`: it
     * queues behind other checkouts and redemptions of the code, but not behind the foreign-key
     * checks of payments being inserted with it). Null when there is no such code.
     */
    /**
     * Live holds of the code, counted per checkout: a pending payment with it created at or after
     * `since`, the payments of one checkout (the same `metadata.checkout`, one per payment method
     * tried) counting once. `total` is every customer's; `own` is `userId`'s. The checkout being
     * made (`excluding`: its payment id and/or checkout reference) is left out of both.
     */
    async countHolds(
      promoCodeId: number,
      hold: { since: Date; userId: number; excluding?: { paymentId?: string | null; checkout?: string | null } },
      opts: TxOptions = {},
    ): Promise<{ total: number; own: number }> {
      const row = await queryOne<{ total: number; own: number }>(
        sequelize,
        `SELECT count(DISTINCT k)::int AS total, count(DISTINCT k) FILTER (WHERE user_id = $3)::int AS own
         FROM (SELECT p.user_id, p.user_id::text || ':' || coalesce(p.metadata->>'checkout', p.id::text) AS k
               FROM payments p
               WHERE p.promo_code_id = $1 AND p.status = 'pending' AND p.created_at >= $2
                 AND ($4::uuid IS NULL OR p.id <> $4::uuid)
                 AND NOT (p.user_id = $3 AND $5::text IS NOT NULL AND p.metadata->>'checkout' = $5::text)) held`,
        [promoCodeId, hold.since, hold.userId, hold.excluding?.paymentId ?? null, hold.excluding?.checkout ?? null],
        opts,
      );
      return { total: row?.total ?? 0, own: row?.own ?? 0 };
    },
    async lockForHold(id: number, opts: Required<TxOptions>): Promise<PromoCode | null> {
      return queryOne<PromoCode>(sequelize, 'SELECT * FROM promo_codes WHERE id = $1 FOR NO KEY UPDATE', [id], opts);
    },
    async findByCode(code: string, opts: TxOptions = {}): Promise<PromoCode | null> {
      return plain(
        await Codes.findOne({
          where: { code: normalizePromoCode(code) },
          transaction: opts.transaction,
        }),
      );
    },
    async get(id: number, opts: TxOptions = {}): Promise<PromoCode | null> {
      return plain(await Codes.findByPk(id, { transaction: opts.transaction }));
    },
    /** Newest first; `beforeId` pages on (the last id shown). */
    async list(options: { activeOnly?: boolean; limit?: number; beforeId?: number } = {}, opts: TxOptions = {}): Promise<PromoCode[]> {
      return plainAll(
        await Codes.findAll({
          where: {
            ...(options.activeOnly ? { active: true } : {}),
            ...(options.beforeId ? { id: { [Op.lt]: options.beforeId } } : {}),
          },
          order: [['id', 'DESC']],
          limit: options.limit ?? 100,
          transaction: opts.transaction,
        }),
      );
    },
    async create(input: PromoCodeInput, opts: TxOptions = {}): Promise<PromoCode> {
      return (
        await Codes.create(
          { ...input, code: normalizePromoCode(input.code), currency: input.currency?.toUpperCase() ?? null },
          { transaction: opts.transaction },
        )
      ).get({ plain: true });
    },
    async update(id: number, patch: Partial<Omit<PromoCodeInput, 'code'>>, opts: TxOptions = {}): Promise<PromoCode | null> {
      const values = patch.currency ? { ...patch, currency: patch.currency.toUpperCase() } : patch;
      const [, rows] = await Codes.update(values, {
        where: { id },
        returning: true,
        transaction: opts.transaction,
      });
      return plain(rows[0] ?? null);
    },
    /**
     * Spends one use atomically. The conditional UPDATE takes the row lock, so concurrent
     * redemptions of the same code queue behind it; the per-user count is checked after that
     * lock, so it sees every committed redemption. With `holdSince`, uses held by other
     * customers' live checkouts (see `countHolders`) count as spent: a payment whose own hold
     * lapsed cannot take the use someone else is holding. Idempotent per payment: redeeming again
     * for the same payment returns the existing redemption without spending another use.
     */
    async redeem(
      input: { promoCodeId: number; userId: number; paymentId?: string | null; now?: Date; holdSince?: Date },
      opts: TxOptions = {},
    ): Promise<RedeemResult> {
      const now = input.now ?? new Date();
      return inTx(sequelize, opts, async (transaction) => {
        const t = { transaction };
        if (input.paymentId) {
          const existing = plain(await Redemptions.findOne({ where: { paymentId: input.paymentId }, transaction }));
          const promo = existing && plain(await Codes.findByPk(existing.promoCodeId, t));
          if (existing && promo) return { ok: true, redemption: existing, promo };
        }
        if (input.holdSince) {
          // Lock first, count in the next statement: an UPDATE that waited for the lock would
          // count holders in the snapshot it started with and miss a checkout committed meanwhile.
          await queryOne(sequelize, 'SELECT id FROM promo_codes WHERE id = $1 FOR NO KEY UPDATE', [input.promoCodeId], t);
        }
        // Holders are counted only when asked ($3 set); NULL makes the sub-select count nothing.
        const promo = await queryOne<PromoCode>(
          sequelize,
          `UPDATE promo_codes SET uses_count = uses_count + 1, updated_at = now()
           WHERE id = $1 AND active
             AND (max_uses IS NULL OR uses_count + (${holdersSql('promo_codes.id', '$3', '$4')}) < max_uses)
             AND (valid_from IS NULL OR valid_from <= $2) AND (valid_until IS NULL OR valid_until > $2)
           RETURNING *`,
          [input.promoCodeId, now, input.holdSince ?? null, input.userId],
          t,
        );
        if (!promo)
          return {
            ok: false,
            reason: refusal(plain(await Codes.findByPk(input.promoCodeId, t)), now),
          };
        if ((await countUserRedemptions(promo.id, input.userId, t)) >= promo.perUserLimit) {
          // Give the use back inside the same transaction: nothing was spent.
          await sequelize.query('UPDATE promo_codes SET uses_count = uses_count - 1 WHERE id = $1', { bind: [promo.id], transaction });
          return { ok: false, reason: 'per_user_limit' };
        }
        const redemption = await Redemptions.create({ promoCodeId: promo.id, userId: input.userId, paymentId: input.paymentId ?? null }, t);
        return { ok: true, redemption: redemption.get({ plain: true }), promo };
      });
    },
    /** Which of `codes` (normalised) exist already. */
    async takenCodes(codes: string[], opts: TxOptions = {}): Promise<string[]> {
      const rows = await queryRows<{ code: string }>(
        sequelize,
        'SELECT code FROM promo_codes WHERE code = ANY($1::text[])',
        [codes.map(normalizePromoCode)],
        opts,
      );
      return rows.map((r) => r.code);
    },
    /** The usage of a code: uses, customers, revenue per currency, the `limit` latest redemptions. */
    async usage(promoCodeId: number, options: { limit?: number } = {}, opts: TxOptions = {}): Promise<PromoUsage> {
      const head = await queryOne<{ code: string; uses: number; customers: number }>(
        sequelize,
        `SELECT c.code, c.uses_count AS uses,
                (SELECT count(DISTINCT r.user_id)::int FROM promo_redemptions r WHERE r.promo_code_id = c.id) AS customers
         FROM promo_codes c WHERE c.id = $1`,
        [promoCodeId],
        opts,
      );
      const revenue = await queryRows<{ currency: string; payments: number; amountMinor: string }>(
        sequelize,
        `SELECT currency, count(*)::int AS payments, sum(amount_minor)::bigint AS "amountMinor"
         FROM payments WHERE promo_code_id = $1 AND status = 'succeeded' GROUP BY currency ORDER BY currency`,
        [promoCodeId],
        opts,
      );
      const recent = await queryRows<PromoUsage['recent'][number] & { telegramId: string; userId: string; amountMinor: string | null }>(
        sequelize,
        `SELECT r.created_at AS at, r.user_id AS "userId", u.telegram_id AS "telegramId", u.username,
                p.amount_minor AS "amountMinor", p.currency, p.status
         FROM promo_redemptions r JOIN users u ON u.id = r.user_id LEFT JOIN payments p ON p.id = r.payment_id
         WHERE r.promo_code_id = $1 ORDER BY r.id DESC LIMIT $2`,
        [promoCodeId, options.limit ?? 10],
        opts,
      );
      return {
        code: head?.code ?? '',
        uses: head?.uses ?? 0,
        customers: head?.customers ?? 0,
        revenue: revenue.map((x) => ({ ...x, amountMinor: Number(x.amountMinor) })),
        recent: recent.map((x) => ({
          ...x,
          userId: Number(x.userId),
          telegramId: Number(x.telegramId),
          amountMinor: x.amountMinor === null ? null : Number(x.amountMinor),
        })),
      };
    },
    async listRedemptions(promoCodeId: number, opts: TxOptions = {}): Promise<PromoRedemption[]> {
      return plainAll(
        await Redemptions.findAll({
          where: { promoCodeId },
          order: [['id', 'ASC']],
          transaction: opts.transaction,
        }),
      );
    },
  };
}

export type PromoCodesRepository = ReturnType<typeof createPromoCodesRepository>;
