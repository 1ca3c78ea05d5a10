import { queryOne, queryRows, type RepoDeps } from './base.js';

/** What the business gauges of `/metrics` show (see `@vpn/metrics`). */
export interface BusinessGauges {
  /** Active subscriptions, trials included. */
  active: number;
  /** Active subscriptions bought with money (not trials). */
  paying: number;
  /** Succeeded payments since midnight UTC, in minor units, per currency. */
  revenueToday: { currency: string; amountMinor: number }[];
  /** Recipients of running broadcasts not yet reached. */
  broadcastPending: number;
}

/**
 * Read-only counts for the worker's scrape: one statement each, on indexed columns, cheap enough
 * to run every 15 s (the scrape interval) on a large database.
 */
export function createGaugesRepository({ sequelize }: RepoDeps) {
  return {
    async business(): Promise<BusinessGauges> {
      const subs = await queryOne<{ active: string; paying: string }>(
        sequelize,
        `SELECT count(*) AS active, count(*) FILTER (WHERE NOT is_trial) AS paying
           FROM subscriptions WHERE status = 'active' AND (ends_at IS NULL OR ends_at > now())`,
        [],
      );
      const revenue = await queryRows<{ currency: string; amountMinor: string }>(
        sequelize,
        `SELECT currency, sum(amount_minor) AS amount_minor FROM payments
          WHERE status IN ('succeeded', 'refunded') AND paid_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
          GROUP BY currency`,
        [],
      );
      const pending = await queryOne<{ n: string }>(
        sequelize,
        `SELECT count(*) AS n FROM broadcast_deliveries d JOIN broadcasts b ON b.id = d.broadcast_id
          WHERE b.status = 'running' AND d.status = 'pending'`,
        [],
      );
      return {
        active: Number(subs?.active ?? 0),
        paying: Number(subs?.paying ?? 0),
        revenueToday: revenue.map((r) => ({ currency: r.currency, amountMinor: Number(r.amountMinor) })),
        broadcastPending: Number(pending?.n ?? 0),
      };
    },
  };
}
