import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The libpq arguments and environment for a postgres:// URL. The password travels in PGPASSWORD,
 * never on the command line, where every user of the machine could read it in `ps`.
 */
export function pgConnection(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const args = [
    '--host',
    decodeURIComponent(u.hostname) || '127.0.0.1',
    '--port',
    u.port || '5432',
    '--username',
    decodeURIComponent(u.username) || 'postgres',
  ];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return { args, env };
}

/** The database name of a postgres:// URL. */
export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** A pg_dump/pg_restore failure, with what it printed on stderr (never the password: it is not in argv). */
export class PgToolError extends Error {
  override name = 'PgToolError';
}

async function tool(binary: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(binary, args, { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string | number; stderr?: string };
    if (e.code === 'ENOENT') throw new PgToolError(`${binary} is not installed (postgresql-client of the server's major version)`);
    throw new PgToolError(`${binary} failed: ${(e.stderr ?? String(error)).trim().slice(0, 2_000)}`);
  }
}

/**
 * `pg_dump -Fc` of one schema into `file` (custom format: compressed, restored selectively and in
 * parallel by pg_restore). pg_dump must be of the server's major version or newer.
 */
export async function pgDump(options: { url: string; schema: string; file: string }): Promise<void> {
  const { args, env } = pgConnection(options.url);
  await tool('pg_dump', [...args, '--format=custom', '--schema', options.schema, '--file', options.file, databaseNameOf(options.url)], env);
}

/**
 * Restores a `pg_dump -Fc` file into the database of `url`, in one transaction (all or nothing),
 * without the source's owners and grants (the target's user owns what it restores). What the dump
 * is about to create is dropped first if it exists: even an empty database has a `public` schema,
 * which a dump of `public` creates (`--clean --if-exists`; callers refuse non-empty targets).
 */
export async function pgRestore(options: { url: string; file: string }): Promise<void> {
  const { args, env } = pgConnection(options.url);
  await tool(
    'pg_restore',
    [
      ...args,
      '--dbname',
      databaseNameOf(options.url),
      '--single-transaction',
      '--no-owner',
      '--no-privileges',
      '--clean',
      '--if-exists',
      options.file,
    ],
    env,
  );
}
