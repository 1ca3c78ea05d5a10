import { sqlMigration } from './sql-migration.js';

/**
 * A referral reward taken back because the first payment that earned it was refunded:
 * `revoked_at` is set once (the UPDATE that sets it is the decision, so a refund processed twice
 * takes the days back once), and the row stays so the same referee never earns a second reward.
 */
export const { up, down } = sqlMigration(
  `ALTER TABLE referral_rewards ADD COLUMN revoked_at TIMESTAMPTZ;
CREATE INDEX referral_rewards_payment_idx ON referral_rewards (payment_id) WHERE payment_id IS NOT NULL;`,
  `DROP INDEX IF EXISTS referral_rewards_payment_idx;
ALTER TABLE referral_rewards DROP COLUMN IF EXISTS revoked_at;`,
);
