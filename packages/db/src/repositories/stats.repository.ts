import { queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';

/** Amounts in minor units (or counts) by currency: `{ RUB: 59700, XTR: 250 }`. */
export type ByCurrency = Record<string, number>;

/** One UTC day's figures (a `daily_stats` row, or today's computed live). */
export interface DayStats {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  newCustomers: number;
  /** Trials started. */
  trials: number;
  /** Customers whose first payment ever was this day and who had taken the trial. */
  conversions: number;
  revenue: ByCurrency;
  /** Paid payments by currency. */
  payments: ByCurrency;
  /** Fully refunded payments by the day of the refund (partial refunds are in the payment's metadata). */
  refunds: ByCurrency;
}

/** The figures of right now. */
export interface LiveStats {
  customers: number;
  activeSubscriptions: number;
  /** Active and not a trial. */
  payingSubscriptions: number;
  trialSubscriptions: number;
  /** Active and ending within 3 days. */
  expiringSoon: number;
  blocked: number;
}

const PAID = "status IN ('succeeded', 'refunded')";

/** One day's figures from the raw tables; each part reads a partial index over that day only. */
const DAY_SQL = `
SELECT $1::date::text AS day,
  (SELECT count(*) FROM users WHERE created_at >= $1::date AND created_at < $1::date + 1)::int AS new_customers,
  (SELECT count(*) FROM users WHERE trial_used_at >= $1::date AND trial_used_at < $1::date + 1)::int AS trials,
  (SELECT count(DISTINCT p.user_id) FROM payments p JOIN users u ON u.id = p.user_id
     WHERE p.${PAID} AND p.paid_at >= $1::date AND p.paid_at < $1::date + 1 AND u.trial_used_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM payments q WHERE q.user_id = p.user_id AND q.${PAID} AND q.paid_at < p.paid_at))::int AS conversions,
  (SELECT coalesce(jsonb_object_agg(currency, s), '{}') FROM (SELECT currency, sum(amount_minor)::bigint AS s FROM payments
     WHERE ${PAID} AND paid_at >= $1::date AND paid_at < $1::date + 1 GROUP BY currency) r) AS revenue,
  (SELECT coalesce(jsonb_object_agg(currency, n), '{}') FROM (SELECT currency, count(*) AS n FROM payments
     WHERE ${PAID} AND paid_at >= $1::date AND paid_at < $1::date + 1 GROUP BY currency) r) AS payments,
  (SELECT coalesce(jsonb_object_agg(currency, s), '{}') FROM (SELECT currency, sum(amount_minor)::bigint AS s FROM payments
     WHERE status = 'refunded' AND refunded_at >= $1::date AND refunded_at < $1::date + 1 GROUP BY currency) r) AS refunds`;

const numbers = (o: unknown): ByCurrency =>
  Object.fromEntries(Object.entries((o ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Number(v)]));
const dayOf = (row: DayStats): DayStats => ({
  ...row,
  revenue: numbers(row.revenue),
  payments: numbers(row.payments),
  refunds: numbers(row.refunds),
});
/** `YYYY-MM-DD` of a moment, in UTC. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * The dashboard's statistics (read-only over the business tables). Finished days are computed
 * once into `daily_stats` (`fillMissing`, run by the dashboard and safe to run from a nightly
 * job: an upsert per day); today is computed live. Fast on a million customers: every day reads
 * partial indexes over that day (migration 202612081400).
 */
export function createStatsRepository({ sequelize }: RepoDeps) {
  return {
    /** One day's figures from the raw tables. */
    async computeDay(day: string, opts: TxOptions = {}): Promise<DayStats> {
      return dayOf((await queryOne<DayStats>(sequelize, DAY_SQL, [day], opts))!);
    },
    /** Computes and stores the finished days of the last `days` before `today` that are not stored yet; returns how many. */
    async fillMissing(days: number, now: Date, opts: TxOptions = {}): Promise<number> {
      const missing = await queryRows<{ day: string }>(
        sequelize,
        `SELECT d::date::text AS day FROM generate_series($1::date - $2::int, $1::date - 1, interval '1 day') d
         WHERE NOT EXISTS (SELECT 1 FROM daily_stats s WHERE s.day = d::date) ORDER BY d`,
        [utcDay(now), days],
        opts,
      );
      for (const { day } of missing)
        await queryRows(
          sequelize,
          `INSERT INTO daily_stats (day, new_customers, trials, conversions, revenue, payments, refunds)
           SELECT day::date, new_customers, trials, conversions, revenue, payments, refunds FROM (${DAY_SQL}) x
           ON CONFLICT (day) DO UPDATE SET new_customers = EXCLUDED.new_customers, trials = EXCLUDED.trials,
             conversions = EXCLUDED.conversions, revenue = EXCLUDED.revenue, payments = EXCLUDED.payments,
             refunds = EXCLUDED.refunds, computed_at = now()
           RETURNING day`,
          [day],
          opts,
        );
      return missing.length;
    },
    /** Stored days in `[from, to]` (`YYYY-MM-DD`), oldest first. */
    async listDays(from: string, to: string, opts: TxOptions = {}): Promise<DayStats[]> {
      const rows = await queryRows<DayStats>(
        sequelize,
        `SELECT day::text AS day, new_customers, trials, conversions, revenue, payments, refunds
         FROM daily_stats WHERE day BETWEEN $1::date AND $2::date ORDER BY day`,
        [from, to],
        opts,
      );
      return rows.map(dayOf);
    },
    async live(now: Date, opts: TxOptions = {}): Promise<LiveStats> {
      return (await queryOne<LiveStats>(
        sequelize,
        `SELECT (SELECT count(*) FROM users)::int AS customers,
           (SELECT count(*) FROM subscriptions WHERE status = 'active')::int AS active_subscriptions,
           (SELECT count(*) FROM subscriptions WHERE status = 'active' AND NOT is_trial)::int AS paying_subscriptions,
           (SELECT count(*) FROM subscriptions WHERE status = 'active' AND is_trial)::int AS trial_subscriptions,
           (SELECT count(*) FROM subscriptions WHERE status = 'active' AND ends_at >= $1 AND ends_at < $1::timestamptz + interval '3 days')::int
             AS expiring_soon,
           (SELECT count(*) FROM users WHERE blocked)::int AS blocked`,
        [now],
        opts,
      ))!;
    },
  };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;
