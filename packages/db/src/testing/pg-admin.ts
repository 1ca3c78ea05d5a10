import { readEnv } from '@vpn/config';
import { withClient } from '../ensure-database.js';
import { quoteIdent } from '../sql.js';

export { ensureDatabase } from '../ensure-database.js';

/** Prefix of every schema the test harness creates: `vt_<run id>_<worker>`. */
export const TEST_SCHEMA_PREFIX = 'vt_';

/** `TEST_DATABASE_URL`, or the local default. */
export function testDatabaseUrl(): string {
  return readEnv().TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vpn_test';
}

/** Drops every schema whose name starts with `prefix`; returns how many were dropped. */
export async function dropSchemas(url: string, prefix: string, olderThan?: (name: string) => boolean): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)', [prefix]);
    const names = rows.map((r) => r.nspname).filter((n) => olderThan?.(n) ?? true);
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(name)} CASCADE`);
    return names.length;
  });
}
