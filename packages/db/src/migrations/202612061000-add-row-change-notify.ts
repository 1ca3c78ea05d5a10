import { sqlMigration } from './sql-migration.js';

/**
 * Every committed change of a subscription or a VPN account is announced on the `row_changes`
 * channel as `<schema>:<table>:<key>` (subscriptions by user id, accounts by subscription id),
 * so a process that caches them (the client bot) drops its copy at once, whoever wrote the row:
 * the worker settling a payment, an admin, an operator at a SQL prompt. NOTIFY is transactional:
 * PostgreSQL delivers it after the commit and never for a rolled-back change. An update that moves
 * a row to another key announces both keys.
 */
export const { up, down } = sqlMigration(
  `
CREATE FUNCTION notify_row_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  new_key text := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) ->> TG_ARGV[0] END;
  old_key text := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) ->> TG_ARGV[0] END;
BEGIN
  IF new_key IS NOT NULL THEN
    PERFORM pg_notify('row_changes', TG_TABLE_SCHEMA || ':' || TG_TABLE_NAME || ':' || new_key);
  END IF;
  IF old_key IS NOT NULL AND old_key IS DISTINCT FROM new_key THEN
    PERFORM pg_notify('row_changes', TG_TABLE_SCHEMA || ':' || TG_TABLE_NAME || ':' || old_key);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER subscriptions_row_change AFTER INSERT OR UPDATE OR DELETE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION notify_row_change('user_id');
CREATE TRIGGER vpn_accounts_row_change AFTER INSERT OR UPDATE OR DELETE ON vpn_accounts
  FOR EACH ROW EXECUTE FUNCTION notify_row_change('subscription_id');
`,
  `
DROP TRIGGER IF EXISTS vpn_accounts_row_change ON vpn_accounts;
DROP TRIGGER IF EXISTS subscriptions_row_change ON subscriptions;
DROP FUNCTION IF EXISTS notify_row_change();
`,
);
