/**
 * `@vpn/db/testing`: a real PostgreSQL schema per vitest worker and small factories.
 *
 * - `createTestDatabase()` → `TestDatabase` (a `Database` plus `url`, `truncateAll()`).
 * - `useTestDatabase()`: registers beforeAll/beforeEach(truncate)/afterAll and returns `() => TestDatabase`.
 * - `createScratchDatabase(suffix)`: an empty schema of its own (migrate from zero, spawn scripts).
 * - `TEST_ENCRYPTION_KEY`: the key that handle uses.
 * - `makeUser`, `makeAdmin`, `makePlan`, `makeServer`, `makeSubscription`, `makePayment`: one row
 *   each, every field overridable.
 */
// Side effect for the type checker: every importer of `@vpn/db/testing` sees the vitest
// `ProvidedContext` key (`vpnDbRunId`) that `testSchemaName()` injects; no tsconfig includes needed.
import './provided-context.js';

export { createTestDatabase, useTestDatabase, testSchemaName, TEST_ENCRYPTION_KEY, type TestDatabase } from './test-database.js';
export * from './factories.js';
export { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';
export { TEST_SCHEMA_PREFIX, testDatabaseUrl } from './pg-admin.js';
