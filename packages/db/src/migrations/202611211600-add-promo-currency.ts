import { sqlMigration } from './sql-migration.js';

/**
 * The currency of a `fixed` promo code's amount. Until now a fixed amount was read in the plan's
 * currency, so one code could not be offered for plans priced in different currencies (or in
 * Telegram Stars). NULL keeps that older meaning ("the plan's currency") for existing rows.
 */
export const { up, down } = sqlMigration(
  `
ALTER TABLE promo_codes ADD COLUMN currency VARCHAR(10);
ALTER TABLE promo_codes ADD CONSTRAINT promo_codes_currency_chk
  CHECK (currency IS NULL OR (kind = 'fixed' AND currency ~ '^[A-Z]{3,10}$'));
`,
  `
ALTER TABLE promo_codes DROP CONSTRAINT IF EXISTS promo_codes_currency_chk;
ALTER TABLE promo_codes DROP COLUMN IF EXISTS currency;
`,
);
