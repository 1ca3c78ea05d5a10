import { sqlMigration } from './sql-migration.js';

/**
 * Indexes the first migrations left out:
 * - the admin search's `lower(username) LIKE 'prefix%'`: `text_pattern_ops` so a prefix match can
 *   use the index whatever the database collation;
 * - foreign keys without one: deleting or merging a user, plan or promo code otherwise scans
 *   every delivery, redemption, payment and subscription (ON DELETE CASCADE / SET NULL checks);
 * - a customer's tickets newest first (support card) and "active since" counts (admin stats).
 */
export const { up, down } = sqlMigration(
  `
CREATE INDEX users_username_lower_idx ON users (lower(username) text_pattern_ops);
CREATE INDEX users_last_activity_idx ON users (last_activity_at) WHERE last_activity_at IS NOT NULL;
CREATE INDEX broadcast_deliveries_user_idx ON broadcast_deliveries (user_id);
CREATE INDEX promo_redemptions_user_idx ON promo_redemptions (user_id);
CREATE INDEX payments_promo_code_idx ON payments (promo_code_id) WHERE promo_code_id IS NOT NULL;
CREATE INDEX payments_plan_idx ON payments (plan_id) WHERE plan_id IS NOT NULL;
CREATE INDEX subscriptions_plan_idx ON subscriptions (plan_id) WHERE plan_id IS NOT NULL;
CREATE INDEX support_tickets_user_created_idx ON support_tickets (user_id, created_at);
`,
  `
DROP INDEX IF EXISTS support_tickets_user_created_idx;
DROP INDEX IF EXISTS subscriptions_plan_idx;
DROP INDEX IF EXISTS payments_plan_idx;
DROP INDEX IF EXISTS payments_promo_code_idx;
DROP INDEX IF EXISTS promo_redemptions_user_idx;
DROP INDEX IF EXISTS broadcast_deliveries_user_idx;
DROP INDEX IF EXISTS users_last_activity_idx;
DROP INDEX IF EXISTS users_username_lower_idx;
`,
);
