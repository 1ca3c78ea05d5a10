import { sqlMigration } from './sql-migration.js';

/**
 * The admin bot's customer search looks a customer up by what staff have at hand. Each way is
 * an index lookup (a few rows out of millions), never a scan:
 * - a first-name prefix (`lower(first_name) LIKE 'anna%'`, `text_pattern_ops` whatever the collation);
 * - a provider's payment id (`external_id`: the unique key leads with the provider, which staff
 *   do not type);
 * - a panel username and a subscription link (the unique key leads with the server; a link is
 *   long, so a hash index: only equality is asked of it).
 */
export const { up, down } = sqlMigration(
  `
CREATE INDEX users_first_name_lower_idx ON users (lower(first_name) text_pattern_ops);
CREATE INDEX payments_external_id_idx ON payments (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX vpn_accounts_panel_user_key_idx ON vpn_accounts (panel_user_key);
CREATE INDEX vpn_accounts_subscription_url_idx ON vpn_accounts USING hash (subscription_url) WHERE subscription_url IS NOT NULL;
`,
  `
DROP INDEX IF EXISTS vpn_accounts_subscription_url_idx;
DROP INDEX IF EXISTS vpn_accounts_panel_user_key_idx;
DROP INDEX IF EXISTS payments_external_id_idx;
DROP INDEX IF EXISTS users_first_name_lower_idx;
`,
);
