import pg from 'pg';
import { readEnv } from '@vpn/config';
import { quoteIdent } from '../sql.js';

/** Prefix of every schema the test harness creates: `vt_<run id>_<worker>`. */
export const TEST_SCHEMA_PREFIX = 'vt_';

/** `TEST_DATABASE_URL`, or the local default. */
export function testDatabaseUrl(): string {
  return readEnv().TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vpn_test';
}

/** Runs `fn` with a short-lived client (not a pool) on `url`. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the test database through the `postgres` maintenance database if it is missing. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  await withClient(maintenance.toString(), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (error) {
      // Another vitest process created it a moment ago: that is what we wanted.
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
    }
  });
}

/** Drops every schema whose name starts with `prefix`; returns how many were dropped. */
export async function dropSchemas(
  url: string,
  prefix: string,
  olderThan?: (name: string) => boolean,
): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ nspname: string }>(
      'SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)',
      [prefix],
    );
    const names = rows.map((r) => r.nspname).filter((n) => olderThan?.(n) ?? true);
    for (const name of names)
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(name)} CASCADE`);
    return names.length;
  });
}
