import { sqlMigration } from './sql-migration.js';

/** What is sold and where it runs: plans, servers (panels), FAQ, key → JSON settings. */
export const { up, down } = sqlMigration(
  `
CREATE TYPE panel_kind AS ENUM ('marzban', '3x-ui', 'remnawave', 'wg-easy');
CREATE TYPE server_health AS ENUM ('unknown', 'healthy', 'degraded', 'down');

CREATE TABLE plans (
  id                     SERIAL PRIMARY KEY,
  code                   VARCHAR(32) NOT NULL,
  title                  JSONB NOT NULL,
  duration_days          INTEGER NOT NULL CHECK (duration_days > 0),
  price_minor            BIGINT NOT NULL CHECK (price_minor >= 0),
  currency               VARCHAR(8) NOT NULL DEFAULT 'RUB',
  price_stars            INTEGER CHECK (price_stars IS NULL OR price_stars > 0),
  discount_percent       INTEGER NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
  traffic_limit_bytes    BIGINT CHECK (traffic_limit_bytes IS NULL OR traffic_limit_bytes > 0),
  device_limit           INTEGER CHECK (device_limit IS NULL OR device_limit > 0),
  reset_traffic_on_renew BOOLEAN NOT NULL DEFAULT TRUE,
  active                 BOOLEAN NOT NULL DEFAULT TRUE,
  sort_order             INTEGER NOT NULL DEFAULT 0,
  created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT plans_code_key UNIQUE (code)
);
CREATE INDEX plans_active_sort_idx ON plans (active, sort_order);

CREATE TABLE servers (
  id                    SERIAL PRIMARY KEY,
  name                  TEXT NOT NULL,
  country_code          CHAR(2),
  panel_kind            panel_kind NOT NULL,
  base_url              TEXT NOT NULL,
  credentials_encrypted TEXT NOT NULL,
  settings              JSONB NOT NULL DEFAULT '{}',
  capacity              INTEGER CHECK (capacity IS NULL OR capacity >= 0),
  weight                INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 0),
  active                BOOLEAN NOT NULL DEFAULT TRUE,
  health_status         server_health NOT NULL DEFAULT 'unknown',
  health_checked_at     TIMESTAMPTZ,
  last_error            TEXT,
  users_count           INTEGER NOT NULL DEFAULT 0 CHECK (users_count >= 0),
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT servers_name_key UNIQUE (name),
  CONSTRAINT servers_credentials_encrypted_chk CHECK (credentials_encrypted LIKE 'v1:%')
);
CREATE INDEX servers_active_idx ON servers (active, health_status);

CREATE TABLE faq_items (
  id         SERIAL PRIMARY KEY,
  slug       VARCHAR(64) NOT NULL,
  category   VARCHAR(32) NOT NULL DEFAULT 'general',
  question   JSONB NOT NULL,
  answer     JSONB NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0,
  active     BOOLEAN NOT NULL DEFAULT TRUE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT faq_items_slug_key UNIQUE (slug)
);
CREATE INDEX faq_items_active_sort_idx ON faq_items (active, category, sort_order);

CREATE TABLE settings (
  key        VARCHAR(128) PRIMARY KEY,
  value      JSONB NOT NULL,
  encrypted  BOOLEAN NOT NULL DEFAULT FALSE,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_by BIGINT
);
`,
  `
DROP TABLE IF EXISTS settings;
DROP TABLE IF EXISTS faq_items;
DROP TABLE IF EXISTS servers;
DROP TABLE IF EXISTS plans;
DROP TYPE IF EXISTS server_health;
DROP TYPE IF EXISTS panel_kind;
`,
);
