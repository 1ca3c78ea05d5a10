import { sqlMigration } from './sql-migration.js';

/**
 * The admin bot's usage view of a promo code sums the revenue of its payments: without an index
 * that is a scan of every payment. Only payments with a code are indexed (most have none).
 */
export const { up, down } = sqlMigration(
  `
CREATE INDEX payments_promo_status_idx ON payments (promo_code_id, status) INCLUDE (amount_minor, currency)
  WHERE promo_code_id IS NOT NULL;
`,
  `
DROP INDEX IF EXISTS payments_promo_status_idx;
`,
);
