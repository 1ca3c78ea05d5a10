import { sqlMigration } from './sql-migration.js';

/**
 * The staff roles of the back office (`@vpn/backoffice` permissions): `finance` (payments and
 * refunds) and `marketing` (promo codes, broadcasts) beside owner, admin, support and the
 * read-only viewer. The audit log becomes append-only in the database itself (a row trigger
 * refuses UPDATE and DELETE), and the admin bot's health screen finds the operator alerts
 * (`alert.*` rows) and the audit viewer filters by action without reading the whole log.
 * Down maps the two roles to `viewer` (the least privilege) before the enum loses them.
 */
export const { up, down } = sqlMigration(
  `
ALTER TYPE admin_role ADD VALUE IF NOT EXISTS 'finance';
ALTER TYPE admin_role ADD VALUE IF NOT EXISTS 'marketing';

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE INDEX audit_log_action_idx ON audit_log (action text_pattern_ops, id);
CREATE INDEX audit_log_alert_idx ON audit_log (id) WHERE action LIKE 'alert.%';
`,
  `
DROP INDEX IF EXISTS audit_log_alert_idx;
DROP INDEX IF EXISTS audit_log_action_idx;
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
DROP FUNCTION IF EXISTS audit_log_append_only();

UPDATE admins SET role = 'viewer' WHERE role::text IN ('finance', 'marketing');
ALTER TABLE admins ALTER COLUMN role DROP DEFAULT;
ALTER TYPE admin_role RENAME TO admin_role_with_backoffice;
CREATE TYPE admin_role AS ENUM ('owner', 'admin', 'support', 'viewer');
ALTER TABLE admins ALTER COLUMN role TYPE admin_role USING role::text::admin_role;
ALTER TABLE admins ALTER COLUMN role SET DEFAULT 'viewer';
DROP TYPE admin_role_with_backoffice;
`,
);
