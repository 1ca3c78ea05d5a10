import { open } from 'node:fs/promises';
import { ensureDatabase, withClient } from '../ensure-database.js';
import { databaseNameOf, pgRestore } from './pg-tools.js';

/** Thrown when a restore would overwrite data and `force` was not given, or the file is no dump. */
export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

/** Tables in the database outside PostgreSQL's own schemas: 0 means an empty database. */
export async function countUserTables(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const result = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg\\_%'`,
    );
    return result.rows[0]?.n ?? 0;
  });
}

/** `pg_dump -Fc` files start with the magic bytes PGDMP. */
async function assertCustomDump(file: string): Promise<void> {
  const handle = await open(file, 'r').catch(() => {
    throw new RestoreRefused(`${file}: no such file`);
  });
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    if (bytesRead < 5 || buffer.toString('latin1') !== 'PGDMP') throw new RestoreRefused(`${file} is not a pg_dump -Fc backup`);
  } finally {
    await handle.close();
  }
}

/**
 * Restores a backup into the database of `url` (created when missing), in one transaction. A
 * database that already holds tables is refused unless `force`, which drops what the backup
 * brings before recreating it (tables the backup does not know are left alone).
 */
export async function restoreBackup(options: {
  url: string;
  file: string;
  force: boolean;
}): Promise<{ database: string; replaced: boolean }> {
  await assertCustomDump(options.file);
  await ensureDatabase(options.url);
  const database = databaseNameOf(options.url);
  const tables = await countUserTables(options.url);
  if (tables > 0 && !options.force)
    throw new RestoreRefused(
      `database ${database} is not empty (${tables} tables): restore into an empty database, or add --force to replace what the backup holds`,
    );
  await pgRestore({ url: options.url, file: options.file });
  return { database, replaced: tables > 0 };
}
