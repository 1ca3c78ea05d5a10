import { readEnv } from '@vpn/config';
import type { Logger } from '@vpn/logger';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createDatabase, type Database } from '../database.js';
import { ensureDatabase, TEST_SCHEMA_PREFIX, testDatabaseUrl } from './pg-admin.js';
import './provided-context.js';
import { createTruncator } from './truncate.js';

/** A fixed 32-byte key for tests (never use it anywhere else). */
export const TEST_ENCRYPTION_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

/** A migrated database handle on this worker's own schema. */
export interface TestDatabase extends Database {
  /** The database URL; pass it with `schema` (as DATABASE_SCHEMA) to processes an e2e test spawns. */
  readonly url: string;
  /** Empties every table and restarts id sequences; the schema stays migrated. */
  truncateAll(): Promise<void>;
}

let cached: Promise<TestDatabase> | undefined;

/**
 * Without the global setup: the process start time (base36) and pid, stable for the whole
 * process and in the shape the global setup's stale-schema sweep recognises.
 */
function processRunId(): string {
  return Math.round(performance.timeOrigin).toString(36) + (process.pid % 65_536).toString(16).padStart(4, '0');
}

/** `vt_<run id>_w<pool id>`: unique per vitest process (run id) and per concurrent worker (pool id). */
export function testSchemaName(): string {
  const env = readEnv();
  let runId: string | undefined;
  try {
    runId = inject('vpnDbRunId');
  } catch {
    runId = undefined; // Not under the int/e2e global setup (e.g. a unit test).
  }
  const worker = env.VITEST_POOL_ID ?? env.VITEST_WORKER_ID ?? '0';
  return `${TEST_SCHEMA_PREFIX}${runId ?? processRunId()}_w${worker}`.toLowerCase();
}

async function open(logger?: Logger): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  const schema = testSchemaName();
  await ensureDatabase(url);
  const db = createDatabase({
    url,
    schema,
    poolMax: 5,
    encryptionKey: TEST_ENCRYPTION_KEY,
    logger,
  });
  // A worker runs many files one after another on the same schema: the first migrates it,
  // later ones find nothing pending.
  await db.migrator().up();
  const truncateAll = await createTruncator(db.sequelize);
  await truncateAll();
  const closeDb = () => db.close();
  return {
    ...db,
    url,
    truncateAll,
    close: async () => {
      cached = undefined;
      await closeDb();
    },
  };
}

/**
 * The test database for this worker: its own PostgreSQL schema, migrated once, emptied when a
 * test file first asks for it. Cached per file; call `close()` in `afterAll`.
 *
 * ```ts
 * let db: TestDatabase;
 * beforeAll(async () => { db = await createTestDatabase(); });
 * beforeEach(() => db.truncateAll());
 * afterAll(() => db.close());
 * ```
 */
export function createTestDatabase(options: { logger?: Logger } = {}): Promise<TestDatabase> {
  cached ??= open(options.logger).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/**
 * Registers the usual hooks in the calling test file: open (and migrate) in `beforeAll`,
 * `truncateAll` before each test (unless `truncate: false`), close in `afterAll`.
 * Returns a getter for the handle: `const db = useTestDatabase(); ... db().repos.users`.
 */
export function useTestDatabase(options: { truncate?: boolean; logger?: Logger } = {}): () => TestDatabase {
  let handle: TestDatabase | undefined;
  beforeAll(async () => {
    handle = await createTestDatabase({ logger: options.logger });
  });
  if (options.truncate !== false) beforeEach(async () => handle?.truncateAll());
  afterAll(async () => handle?.close());
  return () => {
    if (!handle) throw new Error('useTestDatabase(): the database is only available inside tests and hooks');
    return handle;
  };
}
