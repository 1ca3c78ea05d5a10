import { sqlMigration } from './sql-migration.js';

/**
 * Sign-ins to the admin web dashboard. Each row is one refresh token (only its SHA-256, hex, is kept:
 * a database leak does not sign anyone in). A refresh rotates: the old row is marked `rotated_at`
 * and a new row joins the same `family_id`. Presenting a rotated token again means it was copied
 * (a replay): the whole family is revoked, so the thief and the victim are both signed out.
 */
export const { up, down } = sqlMigration(
  `
CREATE TABLE admin_sessions (
  id BIGSERIAL PRIMARY KEY,
  admin_id INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
  family_id UUID NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  expires_at TIMESTAMPTZ NOT NULL,
  rotated_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ,
  user_agent TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX admin_sessions_family_idx ON admin_sessions (family_id);
CREATE INDEX admin_sessions_admin_idx ON admin_sessions (admin_id) WHERE revoked_at IS NULL;

-- One-time sign-in codes (the admin bot's /web, the sandbox's login link): hash only, single use.
CREATE TABLE admin_login_codes (
  code_hash TEXT PRIMARY KEY,
  admin_id INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`,
  `
DROP TABLE IF EXISTS admin_login_codes;
DROP TABLE IF EXISTS admin_sessions;
`,
);
