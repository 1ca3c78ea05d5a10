import { sqlMigration } from './sql-migration.js';

/**
 * The transactional outbox (written in the same transaction as the change that needs a job;
 * a dispatcher moves rows to Bull) and the append-only audit log.
 */
export const { up, down } = sqlMigration(
  `
CREATE TYPE outbox_status AS ENUM ('pending', 'dispatched', 'done', 'failed');

CREATE TABLE outbox (
  id           BIGSERIAL PRIMARY KEY,
  kind         VARCHAR(64) NOT NULL,
  payload      JSONB NOT NULL DEFAULT '{}',
  dedupe_key   TEXT NOT NULL,
  status       outbox_status NOT NULL DEFAULT 'pending',
  attempts     INTEGER NOT NULL DEFAULT 0,
  available_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_error   TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT outbox_dedupe_key_key UNIQUE (dedupe_key)
);
CREATE INDEX outbox_claim_idx ON outbox (status, available_at) WHERE status IN ('pending', 'dispatched');

CREATE TABLE audit_log (
  id         BIGSERIAL PRIMARY KEY,
  actor_kind VARCHAR(16) NOT NULL,
  actor_id   BIGINT,
  action     VARCHAR(64) NOT NULL,
  entity     VARCHAR(64),
  entity_id  TEXT,
  data       JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, created_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_kind, actor_id, created_at);
CREATE INDEX audit_log_created_idx ON audit_log (created_at);
`,
  `
DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS outbox;
DROP TYPE IF EXISTS outbox_status;
`,
);
