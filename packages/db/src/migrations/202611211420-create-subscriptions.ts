import { sqlMigration } from './sql-migration.js';

/**
 * Subscriptions (the desired state), the panel accounts that realise them, and usage samples.
 * One live subscription per user: the partial unique index on `user_id` where the status is
 * pending, active or suspended. A renewal extends that row; a purchase after expiry may reuse
 * it or open a new one once the old one is expired/cancelled.
 */
export const { up, down } = sqlMigration(
  `
CREATE TYPE subscription_status AS ENUM ('pending', 'active', 'expired', 'suspended', 'cancelled');
CREATE TYPE payment_provider AS ENUM ('yookassa', 'cryptopay', 'stars', 'wata');
CREATE TYPE vpn_sync_state AS ENUM ('pending', 'synced', 'failed', 'deleting', 'deleted');

CREATE TABLE subscriptions (
  id                      BIGSERIAL PRIMARY KEY,
  user_id                 BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  plan_id                 INTEGER REFERENCES plans(id) ON DELETE SET NULL,
  server_id               INTEGER REFERENCES servers(id) ON DELETE SET NULL,
  status                  subscription_status NOT NULL DEFAULT 'pending',
  is_trial                BOOLEAN NOT NULL DEFAULT FALSE,
  starts_at               TIMESTAMPTZ,
  ends_at                 TIMESTAMPTZ,
  auto_renew              BOOLEAN NOT NULL DEFAULT FALSE,
  saved_payment_method_id TEXT,
  saved_payment_provider  payment_provider,
  renewal_failures        INTEGER NOT NULL DEFAULT 0 CHECK (renewal_failures >= 0),
  next_renewal_attempt_at TIMESTAMPTZ,
  traffic_limit_bytes     BIGINT CHECK (traffic_limit_bytes IS NULL OR traffic_limit_bytes > 0),
  device_limit            INTEGER CHECK (device_limit IS NULL OR device_limit > 0),
  version                 INTEGER NOT NULL DEFAULT 1,
  created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT subscriptions_period_chk CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at)
);
CREATE UNIQUE INDEX subscriptions_one_live_per_user_idx
  ON subscriptions (user_id) WHERE status IN ('pending', 'active', 'suspended');
CREATE INDEX subscriptions_user_idx ON subscriptions (user_id, created_at);
CREATE INDEX subscriptions_status_ends_idx ON subscriptions (status, ends_at);
CREATE INDEX subscriptions_renewal_idx ON subscriptions (next_renewal_attempt_at)
  WHERE auto_renew AND status = 'active';
CREATE INDEX subscriptions_server_idx ON subscriptions (server_id);

CREATE TABLE vpn_accounts (
  id               BIGSERIAL PRIMARY KEY,
  subscription_id  BIGINT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
  server_id        INTEGER NOT NULL REFERENCES servers(id) ON DELETE RESTRICT,
  panel_user_key   TEXT NOT NULL,
  panel_id         TEXT,
  subscription_url TEXT,
  links            JSONB NOT NULL DEFAULT '[]',
  wireguard_config TEXT,
  sync_state       vpn_sync_state NOT NULL DEFAULT 'pending',
  desired_version  INTEGER NOT NULL DEFAULT 0,
  synced_version   INTEGER,
  last_synced_at   TIMESTAMPTZ,
  last_error       TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT vpn_accounts_server_key UNIQUE (server_id, panel_user_key)
);
CREATE INDEX vpn_accounts_subscription_idx ON vpn_accounts (subscription_id);
CREATE INDEX vpn_accounts_sync_idx ON vpn_accounts (sync_state, updated_at)
  WHERE sync_state IN ('pending', 'failed', 'deleting');

CREATE TABLE usage_snapshots (
  id             BIGSERIAL PRIMARY KEY,
  vpn_account_id BIGINT NOT NULL REFERENCES vpn_accounts(id) ON DELETE CASCADE,
  used_bytes     BIGINT NOT NULL CHECK (used_bytes >= 0),
  online_at      TIMESTAMPTZ,
  taken_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX usage_snapshots_account_taken_idx ON usage_snapshots (vpn_account_id, taken_at);
`,
  `
DROP TABLE IF EXISTS usage_snapshots;
DROP TABLE IF EXISTS vpn_accounts;
DROP TABLE IF EXISTS subscriptions;
DROP TYPE IF EXISTS vpn_sync_state;
DROP TYPE IF EXISTS payment_provider;
DROP TYPE IF EXISTS subscription_status;
`,
);
