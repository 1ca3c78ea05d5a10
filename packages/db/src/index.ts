/**
 * `@vpn/db`: PostgreSQL through Sequelize, for every process.
 *
 * - `createDatabase({ url, poolMax, schema, encryptionKey, logger, onQuery? })` → `Database`;
 *   `databaseOptions(config)` gives the first four from a process's parsed environment
 *   `{ sequelize, models, repos, cipher, schema, migrator(), transaction(fn), ping(), close() }`.
 *   Nothing connects until the first query; `onQuery(sql, ms)` observes every statement (benchmarks).
 * - Row locks for one transaction: `payments.lockForUpdate` / `lockWithCustomer` (payment and
 *   customer in one statement), `users.lockForUpdate`, `subscriptions.lockForUpdate` /
 *   `lockCurrentForUser`; `payments.transition(..., { transaction, locked: true })` does not lock
 *   again. Subscription `create`/`update` take `{ history }` to write the event row in the same
 *   statement; `outbox.addMany` inserts several rows in one.
 * - `db.repos.<name>`: the only data access (users, admins, plans, servers, ...). Each method returns
 *   plain typed objects and takes `{ transaction?: Transaction }` as its last argument, so a caller
 *   can lock, settle, extend and enqueue in one `db.transaction(async (tx) => ...)`.
 * - `databaseProcessSchema` + `databaseOptionsFromConfig(config, logger)`: env → options.
 * - `seedDefaults(db)`: idempotent default plans, FAQ and settings.
 * - `createMigrator(sequelize, { schema })`: umzug over `src/migrations` (`up`, `down({ to: 0 })`).
 * - `createSecretCipher(key)`: AES-256-GCM for secrets at rest.
 * - Errors: `DbError` (`code`), `IllegalTransitionError`, `VersionConflictError`, `isUniqueViolation`.
 * - Tests: `@vpn/db/testing` (`createTestDatabase()`, factories, `TEST_ENCRYPTION_KEY`).
 */
export { createDatabase, databaseOptions, type Database, type DatabaseConfig, type DatabaseOptions } from './database.js';
export { databaseOptionsFromConfig, databaseProcessSchema, type DatabaseProcessConfig } from './config.js';
export { createMigrator, MIGRATIONS_TABLE, type Migrator, type MigratorOptions } from './migrator.js';
export { createSecretCipher, isEncrypted, parseEncryptionKey, type SecretCipher } from './crypto.js';
export { DbError, IllegalTransitionError, VersionConflictError, isUniqueViolation, type DbErrorCode } from './errors.js';
export type { TxOptions } from './repositories/base.js';
export * from './repositories/index.js';
export * from './models/index.js';
export type { Transaction } from 'sequelize';
export { seedDefaults, type SeedSummary } from './seed/seed-defaults.js';
export { ensureDatabase } from './ensure-database.js';
export {
  backupFileName,
  DEFAULT_RETENTION,
  parseBackupFileName,
  planRetention,
  type BackupFile,
  type RetentionPolicy,
} from './backup/retention.js';
export { databaseNameOf, pgConnection, pgDump, pgRestore, PgToolError } from './backup/pg-tools.js';
export { countUserTables, restoreBackup, RestoreRefused } from './backup/restore.js';
export {
  createChangeFeed,
  parseRowChange,
  ROW_CHANGES_CHANNEL,
  type ChangeFeed,
  type ChangeFeedOptions,
  type ChangeListener,
  type ChangedTable,
  type RowChangeKeys,
} from './change-feed.js';
export { DEFAULT_SETTINGS, type KnownSettings } from './seed/default-settings.js';
export { DEFAULT_PLANS } from './seed/default-plans.js';
export { DEFAULT_FAQ } from './seed/default-faq.js';
