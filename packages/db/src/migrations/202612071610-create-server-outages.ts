import { sqlMigration } from './sql-migration.js';

/**
 * One row per outage of a server, opened when a health check first finds it down and closed when
 * one finds it healthy again. At most one open outage per server, so a flapping server is one
 * outage at a time; `notified_at` and `restored_at` make the two customer notices (and the
 * compensation) happen once per outage.
 */
export const { up, down } = sqlMigration(
  `
CREATE TABLE server_outages (
  id          BIGSERIAL PRIMARY KEY,
  server_id   BIGINT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
  started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  notified_at TIMESTAMPTZ,
  ended_at    TIMESTAMPTZ,
  restored_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX server_outages_open_key ON server_outages (server_id) WHERE ended_at IS NULL;
`,
  `
DROP TABLE IF EXISTS server_outages;
`,
);
