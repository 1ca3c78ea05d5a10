/**
 * Default data: plans (1/3/6/12 months), FAQ (ru + en) and settings. Idempotent: rows that
 * already exist (by plan code, FAQ slug, setting key) are left as they are.
 *   pnpm db:seed
 */
import { seedDefaults } from '@vpn/db';
import { runDatabaseScript, UsageError } from './db-script.js';

await runDatabaseScript('seed', async ({ db, logger }) => {
  const pending = await db.migrator().pending();
  if (pending.length > 0) {
    throw new UsageError(`${pending.length} migration(s) pending in schema "${db.schema}": run pnpm db:migrate first`);
  }
  const added = await seedDefaults(db);
  logger.info({ schema: db.schema, added }, 'seeded defaults');
});
