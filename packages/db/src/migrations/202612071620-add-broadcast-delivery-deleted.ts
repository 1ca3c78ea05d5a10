import { sqlMigration } from './sql-migration.js';

/** "Delete the sent copies" of a broadcast (Telegram lets a bot delete its messages for 48 h): when each went. */
export const { up, down } = sqlMigration(
  `
ALTER TABLE broadcast_deliveries ADD COLUMN deleted_at TIMESTAMPTZ;
`,
  `
ALTER TABLE broadcast_deliveries DROP COLUMN IF EXISTS deleted_at;
`,
);
