import { sqlMigration } from './sql-migration.js';

/**
 * Customer balances (issue 20): money kept with us, per customer and currency, as an append-only
 * ledger (`balance_entries`) with its sum cached in `balances`, both written in one transaction
 * under the `balances` row lock. The CHECKs are the last line of defence: a balance or an entry's
 * running total below zero is refused by the database whatever the code does. `reference` is the
 * entry's idempotency key (`top_up:<payment>`, `purchase:<payment>`, ...): a retried settlement
 * writes nothing twice.
 *
 * Payments gain the kind `top_up` (money onto the balance, no plan) and the provider `balance`
 * (a plan paid from the balance alone: settled at once, no provider involved).
 */
export const { up, down } = sqlMigration(
  `
ALTER TYPE payment_kind ADD VALUE IF NOT EXISTS 'top_up';
ALTER TYPE payment_provider ADD VALUE IF NOT EXISTS 'balance';

CREATE TYPE balance_entry_kind AS ENUM ('top_up', 'purchase', 'refund', 'referral_commission', 'referral_clawback', 'adjustment');

CREATE TABLE balances (
  user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  currency     VARCHAR(10) NOT NULL,
  amount_minor BIGINT NOT NULL DEFAULT 0 CONSTRAINT balances_not_negative CHECK (amount_minor >= 0),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, currency)
);

CREATE TABLE balance_entries (
  id                  BIGSERIAL PRIMARY KEY,
  user_id             BIGINT NOT NULL,
  currency            VARCHAR(10) NOT NULL,
  kind                balance_entry_kind NOT NULL,
  amount_minor        BIGINT NOT NULL CHECK (amount_minor <> 0),
  balance_after_minor BIGINT NOT NULL CHECK (balance_after_minor >= 0),
  reference           TEXT NOT NULL,
  payment_id          UUID REFERENCES payments(id) ON DELETE SET NULL,
  reason              TEXT,
  actor               VARCHAR(64) NOT NULL DEFAULT 'system',
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT balance_entries_reference_key UNIQUE (reference),
  CONSTRAINT balance_entries_balance_fkey FOREIGN KEY (user_id, currency) REFERENCES balances(user_id, currency) ON DELETE CASCADE
);
CREATE INDEX balance_entries_user_idx ON balance_entries (user_id, id DESC);
CREATE INDEX balance_entries_payment_idx ON balance_entries (payment_id) WHERE payment_id IS NOT NULL;
`,
  `
DROP TABLE IF EXISTS balance_entries;
DROP TABLE IF EXISTS balances;
DROP TYPE IF EXISTS balance_entry_kind;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM payments WHERE provider::text = 'balance' OR kind::text = 'top_up')
     OR EXISTS (SELECT 1 FROM subscriptions WHERE saved_payment_provider::text = 'balance') THEN
    RAISE EXCEPTION 'payments were made from or onto balances: they cannot be kept without the balance ledger';
  END IF;
END $$;
ALTER TYPE payment_kind RENAME TO payment_kind_with_top_up;
CREATE TYPE payment_kind AS ENUM ('purchase', 'renewal', 'auto_renew');
ALTER TABLE payments ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE payments ALTER COLUMN kind TYPE payment_kind USING kind::text::payment_kind;
ALTER TABLE payments ALTER COLUMN kind SET DEFAULT 'purchase';
DROP TYPE payment_kind_with_top_up;
-- Every other value the type has now (later migrations may have added providers) is kept.
DO $$
DECLARE labels text;
BEGIN
  SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) INTO labels
    FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
   WHERE t.typname = 'payment_provider' AND t.typnamespace = current_schema()::regnamespace AND e.enumlabel <> 'balance';
  ALTER TYPE payment_provider RENAME TO payment_provider_with_balance;
  EXECUTE 'CREATE TYPE payment_provider AS ENUM (' || labels || ')';
END $$;
ALTER TABLE payments ALTER COLUMN provider TYPE payment_provider USING provider::text::payment_provider;
ALTER TABLE payment_events ALTER COLUMN provider TYPE payment_provider USING provider::text::payment_provider;
ALTER TABLE subscriptions ALTER COLUMN saved_payment_provider TYPE payment_provider USING saved_payment_provider::text::payment_provider;
DROP TYPE payment_provider_with_balance;
`,
);
