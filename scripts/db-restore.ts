/**
 * Restores a backup the worker wrote (`pg_dump -Fc`, BACKUP_DIR):
 *   pnpm db:restore <file>                 into DATABASE_URL's database, which must be empty
 *   pnpm db:restore <file> --to <url>      into another database (created when missing)
 *   pnpm db:restore <file> --force         replace what the backup holds in a non-empty database
 * In one transaction: a failed restore leaves the target as it was. Stop the platform first when
 * restoring over its live database.
 */
import { parseArgs } from 'node:util';
import { baseSchema, configOrExit, databaseSchema, loadConfig, z } from '@vpn/config';
import { restoreBackup, RestoreRefused } from '@vpn/db';
import { createLogger, type Logger } from '@vpn/logger';
import { UsageError } from './db-script.js';

let logger: Logger = createLogger({ name: 'db-restore' });
try {
  const config = configOrExit(() => loadConfig(z.object({ ...baseSchema.shape, ...databaseSchema.shape })));
  logger = createLogger({ name: 'db-restore', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, nodeEnv: config.NODE_ENV });
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { to: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('usage: pnpm db:restore <file> [--to <postgres url>] [--force]');
  const url = values.to ?? config.DATABASE_URL;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('--to must be a postgres:// URL');
  const result = await restoreBackup({ url, file, force: values.force });
  logger.info({ file, ...result }, `restored ${file} into ${result.database}`);
} catch (error) {
  if (error instanceof UsageError || error instanceof RestoreRefused) logger.error(error.message);
  else logger.error({ err: error }, 'db:restore failed');
  process.exitCode = 1;
}
