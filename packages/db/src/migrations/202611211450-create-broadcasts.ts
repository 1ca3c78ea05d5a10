import { sqlMigration } from './sql-migration.js';

/** Broadcasts with one delivery row per recipient, and the once-only notification log. */
export const { up, down } = sqlMigration(
  `
CREATE TYPE broadcast_status AS ENUM ('draft', 'scheduled', 'running', 'paused', 'done', 'cancelled');
CREATE TYPE delivery_status AS ENUM ('pending', 'sent', 'failed', 'blocked');

CREATE TABLE broadcasts (
  id            BIGSERIAL PRIMARY KEY,
  created_by    BIGINT,
  text          TEXT NOT NULL,
  media         JSONB,
  audience      JSONB NOT NULL DEFAULT '{}',
  status        broadcast_status NOT NULL DEFAULT 'draft',
  scheduled_at  TIMESTAMPTZ,
  started_at    TIMESTAMPTZ,
  finished_at   TIMESTAMPTZ,
  total_count   INTEGER NOT NULL DEFAULT 0,
  sent_count    INTEGER NOT NULL DEFAULT 0,
  failed_count  INTEGER NOT NULL DEFAULT 0,
  blocked_count INTEGER NOT NULL DEFAULT 0,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX broadcasts_status_scheduled_idx ON broadcasts (status, scheduled_at);

CREATE TABLE broadcast_deliveries (
  id           BIGSERIAL PRIMARY KEY,
  broadcast_id BIGINT NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
  user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status       delivery_status NOT NULL DEFAULT 'pending',
  error        TEXT,
  message_id   BIGINT,
  sent_at      TIMESTAMPTZ,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT broadcast_deliveries_broadcast_user_key UNIQUE (broadcast_id, user_id)
);
CREATE INDEX broadcast_deliveries_pending_idx ON broadcast_deliveries (broadcast_id, id) WHERE status = 'pending';

CREATE TABLE sent_notifications (
  id        BIGSERIAL PRIMARY KEY,
  user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind      VARCHAR(64) NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  sent_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT sent_notifications_once_key UNIQUE (user_id, kind, reference)
);
`,
  `
DROP TABLE IF EXISTS sent_notifications;
DROP TABLE IF EXISTS broadcast_deliveries;
DROP TABLE IF EXISTS broadcasts;
DROP TYPE IF EXISTS delivery_status;
DROP TYPE IF EXISTS broadcast_status;
`,
);
