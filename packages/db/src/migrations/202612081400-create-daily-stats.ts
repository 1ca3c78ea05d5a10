import { sqlMigration } from './sql-migration.js';

/**
 * The dashboard's daily statistics: one row per finished UTC day, computed once from the raw
 * tables (so 7- and 30-day figures read 30 small rows, not a million payments), and the partial
 * indexes the per-day computation reads (payments by paid and refund time, users by trial time).
 */
export const { up, down } = sqlMigration(
  `
CREATE TABLE daily_stats (
  day            DATE PRIMARY KEY,
  new_customers  INTEGER NOT NULL DEFAULT 0,
  trials         INTEGER NOT NULL DEFAULT 0,
  conversions    INTEGER NOT NULL DEFAULT 0,
  revenue        JSONB NOT NULL DEFAULT '{}',
  payments       JSONB NOT NULL DEFAULT '{}',
  refunds        JSONB NOT NULL DEFAULT '{}',
  computed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payments_paid_at_idx ON payments (paid_at) INCLUDE (user_id, amount_minor, currency)
  WHERE status IN ('succeeded', 'refunded');
CREATE INDEX payments_refunded_at_idx ON payments (refunded_at) INCLUDE (amount_minor, currency) WHERE status = 'refunded';
CREATE INDEX users_trial_used_at_idx ON users (trial_used_at) WHERE trial_used_at IS NOT NULL;
`,
  `
DROP INDEX IF EXISTS users_trial_used_at_idx;
DROP INDEX IF EXISTS payments_refunded_at_idx;
DROP INDEX IF EXISTS payments_paid_at_idx;
DROP TABLE IF EXISTS daily_stats;
`,
);
