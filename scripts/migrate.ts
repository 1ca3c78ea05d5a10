/**
 * Database migrations.
 *   pnpm db:migrate [up]            apply every pending migration
 *   pnpm db:migrate down [--to 0]   revert the last one; with --to <name> every migration after it
 *                                   and that one too (umzug reverts `to` inclusively); --to 0 all
 *   pnpm db:migrate status          list executed and pending migrations
 */
import { parseArgs } from 'node:util';
import { runDatabaseScript, UsageError } from './db-script.js';

await runDatabaseScript('migrate', async ({ db, logger }) => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { to: { type: 'string' } },
  });
  const command = positionals[0] ?? 'up';
  const migrator = db.migrator();
  switch (command) {
    case 'up': {
      const applied = await migrator.up();
      logger.info({ schema: db.schema, applied: applied.map((m) => m.name) }, `applied ${applied.length} migration(s)`);
      return;
    }
    case 'down': {
      const to = values.to === undefined ? undefined : values.to === '0' ? 0 : values.to;
      const reverted = to === undefined ? await migrator.down() : await migrator.down({ to });
      logger.info({ schema: db.schema, reverted: reverted.map((m) => m.name) }, `reverted ${reverted.length} migration(s)`);
      return;
    }
    case 'status': {
      const executed = (await migrator.executed()).map((m) => m.name);
      const pending = (await migrator.pending()).map((m) => m.name);
      logger.info({ schema: db.schema, executed, pending }, `${executed.length} executed, ${pending.length} pending`);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}": use up, down [--to 0|<name>] or status`);
  }
});
