import { sqlMigration } from './sql-migration.js';

/**
 * A promo use is held from checkout: a pending payment with the code, younger than the hold,
 * counts against `max_uses` until it is paid, failed, cancelled or lapses. Checkout and
 * settlement count those holds under the promo row's lock, so they need to find a code's live
 * pending payments without reading every payment.
 */
export const { up, down } = sqlMigration(
  `
CREATE INDEX payments_promo_pending_idx ON payments (promo_code_id, created_at)
  WHERE status = 'pending' AND promo_code_id IS NOT NULL;
`,
  `
DROP INDEX IF EXISTS payments_promo_pending_idx;
`,
);
