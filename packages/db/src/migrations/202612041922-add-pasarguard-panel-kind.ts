import { sqlMigration } from './sql-migration.js';

/**
 * PasarGuard (the maintained Marzban fork, specs/pasarguard.md) as a panel kind of its own: its
 * API is Marzban-like but not compatible. Down recreates the enum without it, and refuses while
 * a server still uses it (dropping those rows would lose their accounts' panel).
 */
export const { up, down } = sqlMigration(
  `
ALTER TYPE panel_kind ADD VALUE IF NOT EXISTS 'pasarguard';
`,
  `
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM servers WHERE panel_kind::text = 'pasarguard') THEN
    RAISE EXCEPTION 'servers still use panel kind pasarguard: move their subscriptions and delete them first';
  END IF;
END $$;
ALTER TYPE panel_kind RENAME TO panel_kind_with_pasarguard;
CREATE TYPE panel_kind AS ENUM ('marzban', '3x-ui', 'remnawave', 'wg-easy');
ALTER TABLE servers ALTER COLUMN panel_kind TYPE panel_kind USING panel_kind::text::panel_kind;
DROP TYPE panel_kind_with_pasarguard;
`,
);
