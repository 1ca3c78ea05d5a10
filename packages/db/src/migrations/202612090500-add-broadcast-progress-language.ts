import { sqlMigration } from './sql-migration.js';

/**
 * The language of the admin who started a broadcast: the worker writes the live progress message
 * and the report in it (it has no session of the admin bot to read it from).
 */
export const { up, down } = sqlMigration(
  `ALTER TABLE broadcasts ADD COLUMN progress_language TEXT;`,
  `ALTER TABLE broadcasts DROP COLUMN IF EXISTS progress_language;`,
);
