import { sqlMigration } from './sql-migration.js';

/** Customers (keyed by Telegram id) and staff with roles. */
export const { up, down } = sqlMigration(
  `
CREATE TYPE admin_role AS ENUM ('owner', 'admin', 'support', 'viewer');

CREATE TABLE users (
  id               BIGSERIAL PRIMARY KEY,
  telegram_id      BIGINT NOT NULL,
  username         TEXT,
  first_name       TEXT,
  last_name        TEXT,
  language_code    VARCHAR(8),
  referrer_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
  referral_code    VARCHAR(16) NOT NULL,
  blocked          BOOLEAN NOT NULL DEFAULT FALSE,
  blocked_reason   TEXT,
  bot_blocked_at   TIMESTAMPTZ,
  trial_used_at    TIMESTAMPTZ,
  source           VARCHAR(64),
  last_activity_at TIMESTAMPTZ,
  email            TEXT,
  support_topic_id BIGINT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT users_telegram_id_key UNIQUE (telegram_id),
  CONSTRAINT users_referral_code_key UNIQUE (referral_code),
  CONSTRAINT users_support_topic_id_key UNIQUE (support_topic_id),
  CONSTRAINT users_not_own_referrer CHECK (referrer_id IS NULL OR referrer_id <> id)
);
CREATE INDEX users_referrer_id_idx ON users (referrer_id) WHERE referrer_id IS NOT NULL;
CREATE INDEX users_created_at_idx ON users (created_at);
CREATE INDEX users_source_idx ON users (source) WHERE source IS NOT NULL;

CREATE TABLE admins (
  id          SERIAL PRIMARY KEY,
  telegram_id BIGINT NOT NULL,
  role        admin_role NOT NULL DEFAULT 'viewer',
  name        TEXT,
  active      BOOLEAN NOT NULL DEFAULT TRUE,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT admins_telegram_id_key UNIQUE (telegram_id)
);
`,
  `
DROP TABLE IF EXISTS admins;
DROP TABLE IF EXISTS users;
DROP TYPE IF EXISTS admin_role;
`,
);
