import { sqlMigration } from './sql-migration.js';

/**
 * The money ledger: payments (uuid ids, safe to show to providers), provider notifications
 * recorded once, promo codes and their redemptions, referral rewards and the subscription
 * history that points at the payment that caused each change.
 */
export const { up, down } = sqlMigration(
  `
CREATE TYPE payment_status AS ENUM ('pending', 'succeeded', 'failed', 'cancelled', 'refunded');
CREATE TYPE payment_kind AS ENUM ('purchase', 'renewal', 'auto_renew');
CREATE TYPE promo_kind AS ENUM ('percent', 'fixed', 'days');

CREATE TABLE promo_codes (
  id             SERIAL PRIMARY KEY,
  code           VARCHAR(64) NOT NULL,
  kind           promo_kind NOT NULL,
  value          INTEGER NOT NULL CHECK (value > 0),
  max_uses       INTEGER CHECK (max_uses IS NULL OR max_uses >= 0),
  uses_count     INTEGER NOT NULL DEFAULT 0 CHECK (uses_count >= 0),
  per_user_limit INTEGER NOT NULL DEFAULT 1 CHECK (per_user_limit > 0),
  valid_from     TIMESTAMPTZ,
  valid_until    TIMESTAMPTZ,
  plan_ids       INTEGER[],
  active         BOOLEAN NOT NULL DEFAULT TRUE,
  created_by     BIGINT,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT promo_codes_code_key UNIQUE (code),
  CONSTRAINT promo_codes_upper_chk CHECK (code = upper(code)),
  CONSTRAINT promo_codes_percent_chk CHECK (kind <> 'percent' OR value <= 100)
);

CREATE TABLE payments (
  id                      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                 BIGINT NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
  subscription_id         BIGINT REFERENCES subscriptions(id) ON DELETE SET NULL,
  plan_id                 INTEGER REFERENCES plans(id) ON DELETE SET NULL,
  provider                payment_provider NOT NULL,
  external_id             TEXT,
  idempotency_key         TEXT NOT NULL,
  amount_minor            BIGINT NOT NULL CHECK (amount_minor >= 0),
  currency                VARCHAR(10) NOT NULL,
  status                  payment_status NOT NULL DEFAULT 'pending',
  kind                    payment_kind NOT NULL DEFAULT 'purchase',
  promo_code_id           INTEGER REFERENCES promo_codes(id) ON DELETE SET NULL,
  discount_minor          BIGINT NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
  saved_payment_method_id TEXT,
  confirmation_url        TEXT,
  paid_at                 TIMESTAMPTZ,
  refunded_at             TIMESTAMPTZ,
  failure_reason          TEXT,
  metadata                JSONB NOT NULL DEFAULT '{}',
  created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT payments_idempotency_key_key UNIQUE (idempotency_key),
  CONSTRAINT payments_provider_external_key UNIQUE (provider, external_id)
);
CREATE INDEX payments_user_created_idx ON payments (user_id, created_at);
CREATE INDEX payments_status_created_idx ON payments (status, created_at);
CREATE INDEX payments_subscription_idx ON payments (subscription_id) WHERE subscription_id IS NOT NULL;

CREATE TABLE payment_events (
  id                BIGSERIAL PRIMARY KEY,
  provider          payment_provider NOT NULL,
  provider_event_id TEXT NOT NULL,
  payment_id        UUID REFERENCES payments(id) ON DELETE SET NULL,
  kind              VARCHAR(64) NOT NULL,
  raw_payload       JSONB NOT NULL,
  received_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  processed_at      TIMESTAMPTZ,
  error             TEXT,
  CONSTRAINT payment_events_provider_event_key UNIQUE (provider, provider_event_id)
);
CREATE INDEX payment_events_payment_idx ON payment_events (payment_id);
CREATE INDEX payment_events_unprocessed_idx ON payment_events (received_at) WHERE processed_at IS NULL;

CREATE TABLE promo_redemptions (
  id            BIGSERIAL PRIMARY KEY,
  promo_code_id INTEGER NOT NULL REFERENCES promo_codes(id) ON DELETE CASCADE,
  user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  payment_id    UUID REFERENCES payments(id) ON DELETE SET NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT promo_redemptions_payment_key UNIQUE (payment_id)
);
CREATE INDEX promo_redemptions_code_user_idx ON promo_redemptions (promo_code_id, user_id);

CREATE TABLE referral_rewards (
  id            BIGSERIAL PRIMARY KEY,
  referrer_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  referee_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  payment_id    UUID REFERENCES payments(id) ON DELETE SET NULL,
  referrer_days INTEGER NOT NULL DEFAULT 0 CHECK (referrer_days >= 0),
  referee_days  INTEGER NOT NULL DEFAULT 0 CHECK (referee_days >= 0),
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT referral_rewards_referee_key UNIQUE (referee_id)
);
CREATE INDEX referral_rewards_referrer_idx ON referral_rewards (referrer_id);

CREATE TABLE subscription_events (
  id              BIGSERIAL PRIMARY KEY,
  subscription_id BIGINT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
  kind            VARCHAR(32) NOT NULL,
  from_status     subscription_status,
  to_status       subscription_status,
  from_ends_at    TIMESTAMPTZ,
  to_ends_at      TIMESTAMPTZ,
  payment_id      UUID REFERENCES payments(id) ON DELETE SET NULL,
  actor           VARCHAR(64) NOT NULL DEFAULT 'system',
  data            JSONB NOT NULL DEFAULT '{}',
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX subscription_events_subscription_idx ON subscription_events (subscription_id, created_at);
CREATE INDEX subscription_events_payment_idx ON subscription_events (payment_id) WHERE payment_id IS NOT NULL;
`,
  `
DROP TABLE IF EXISTS subscription_events;
DROP TABLE IF EXISTS referral_rewards;
DROP TABLE IF EXISTS promo_redemptions;
DROP TABLE IF EXISTS payment_events;
DROP TABLE IF EXISTS payments;
DROP TABLE IF EXISTS promo_codes;
DROP TYPE IF EXISTS promo_kind;
DROP TYPE IF EXISTS payment_kind;
DROP TYPE IF EXISTS payment_status;
`,
);
