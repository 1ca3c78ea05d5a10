import { createDatabase, type Database } from '../database.js';
import { quoteIdent } from '../sql.js';
import { ensureDatabase, testDatabaseUrl } from './pg-admin.js';
import { TEST_ENCRYPTION_KEY, testSchemaName } from './test-database.js';

/** An empty, unmigrated schema of its own (for tests that migrate from zero or spawn scripts). */
export interface ScratchDatabase extends Database {
  readonly url: string;
  /** Drops the schema and closes the pool. */
  destroy(): Promise<void>;
}

/**
 * A fresh schema `<worker schema>_<suffix>`, dropped first if a crashed run left it behind.
 * The global teardown drops it too (same run prefix), so a failing test leaks nothing.
 */
export async function createScratchDatabase(suffix: string): Promise<ScratchDatabase> {
  const url = testDatabaseUrl();
  const schema = `${testSchemaName()}_${suffix}`;
  await ensureDatabase(url);
  const db = createDatabase({ url, schema, encryptionKey: TEST_ENCRYPTION_KEY, poolMax: 2 });
  const drop = () => db.sequelize.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  await drop();
  return {
    ...db,
    url,
    async destroy() {
      await drop();
      await db.close();
    },
  };
}
