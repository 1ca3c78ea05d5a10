import { sqlMigration } from './sql-migration.js';

/**
 * The payment providers of issue 20 (specs/heleket.md, platega.md, xrocket-pay.md, severpay.md):
 * Heleket (crypto), Platega (SBP/cards), xRocket Pay (crypto in Telegram) and Sever Pay (cards/SBP).
 * Down recreates the enum without them, and refuses while a payment, an event or a saved method
 * still names one (dropping those rows would lose money records).
 */
export const { up, down } = sqlMigration(
  `
ALTER TYPE payment_provider ADD VALUE IF NOT EXISTS 'heleket';
ALTER TYPE payment_provider ADD VALUE IF NOT EXISTS 'platega';
ALTER TYPE payment_provider ADD VALUE IF NOT EXISTS 'xrocket';
ALTER TYPE payment_provider ADD VALUE IF NOT EXISTS 'severpay';
`,
  `
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM payments WHERE provider::text IN ('heleket', 'platega', 'xrocket', 'severpay'))
    OR EXISTS (SELECT 1 FROM payment_events WHERE provider::text IN ('heleket', 'platega', 'xrocket', 'severpay'))
    OR EXISTS (SELECT 1 FROM subscriptions WHERE saved_payment_provider::text IN ('heleket', 'platega', 'xrocket', 'severpay')) THEN
    RAISE EXCEPTION 'payments still use heleket, platega, xrocket or severpay: they cannot be dropped';
  END IF;
END $$;
ALTER TYPE payment_provider RENAME TO payment_provider_with_issue20;
CREATE TYPE payment_provider AS ENUM ('yookassa', 'cryptopay', 'stars', 'wata');
ALTER TABLE payments ALTER COLUMN provider TYPE payment_provider USING provider::text::payment_provider;
ALTER TABLE payment_events ALTER COLUMN provider TYPE payment_provider USING provider::text::payment_provider;
ALTER TABLE subscriptions ALTER COLUMN saved_payment_provider TYPE payment_provider USING saved_payment_provider::text::payment_provider;
DROP TYPE payment_provider_with_issue20;
`,
);
