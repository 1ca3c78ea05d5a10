import type { Logger } from '@vpn/logger';
import { Sequelize, type Transaction } from 'sequelize';
import { createSecretCipher, type SecretCipher } from './crypto.js';
import { createMigrator, type Migrator } from './migrator.js';
import { defineModels, type Models } from './models/index.js';
import { pgModule } from './pg-module.js';
import { createRepositories, type Repositories } from './repositories/index.js';
import { quoteIdent } from './sql.js';

export interface DatabaseOptions {
  /** `postgres://user:pass@host:port/db` (DATABASE_URL). */
  url: string;
  /** Pool size per process (DATABASE_POOL_MAX). Default 10. */
  poolMax?: number;
  /** PostgreSQL schema every connection works in (DATABASE_SCHEMA). Default `public`. */
  schema?: string;
  /** 64 hex chars or base64 of 32 bytes (ENCRYPTION_KEY); protects server credentials and secret settings. */
  encryptionKey: string;
  /** SQL is logged at `trace` level; pass nothing to stay silent. */
  logger?: Logger;
  /**
   * Called after every statement with its SQL and duration (benchmarks, query counting).
   * Switches on Sequelize's `benchmark` timing; leave unset in production.
   */
  onQuery?: (sql: string, ms: number) => void;
}

/** The environment keys a process's database handle is made from (see @vpn/config's schemas). */
export interface DatabaseConfig {
  DATABASE_URL: string;
  DATABASE_POOL_MAX: number;
  DATABASE_SCHEMA: string;
  ENCRYPTION_KEY: string;
}

/** `createDatabase` options from a process's parsed config: `createDatabase({ ...databaseOptions(config), logger })`. */
export function databaseOptions(config: DatabaseConfig): Pick<DatabaseOptions, 'url' | 'poolMax' | 'schema' | 'encryptionKey'> {
  return {
    url: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    schema: config.DATABASE_SCHEMA,
    encryptionKey: config.ENCRYPTION_KEY,
  };
}

/** One process's handle on PostgreSQL. */
export interface Database {
  readonly sequelize: Sequelize;
  /** Sequelize models; only `@vpn/db` repositories should touch them. */
  readonly models: Models;
  /** The only data access other packages use. Every method takes `{ transaction }` last. */
  readonly repos: Repositories;
  readonly cipher: SecretCipher;
  readonly schema: string;
  /** Migrations for this handle's schema (`up()`, `down({ to: 0 })`, `pending()`). */
  migrator(): Migrator;
  /**
   * Runs `fn` in one transaction (READ COMMITTED): committed when it resolves, rolled back when
   * it throws. Pass `{ transaction: tx }` to every repository call inside.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** `SELECT 1`; throws when the database is unreachable (health checks). */
  ping(): Promise<void>;
  /** Closes the pool; idempotent. */
  close(): Promise<void>;
}

/** Sequelize's `logging` hook: the observer and/or the trace log, or nothing. */
function queryLogging({ logger, onQuery }: DatabaseOptions): false | ((sql: string, timing?: unknown) => void) {
  const trace = logger?.isLevelEnabled('trace') ? logger : undefined;
  if (!trace && !onQuery) return false;
  // With `benchmark` on, Sequelize passes the duration second; without it, its query options.
  return (sql: string, timing?: unknown) => {
    const ms = typeof timing === 'number' ? timing : undefined;
    onQuery?.(sql, ms ?? 0);
    trace?.trace({ sql, ms }, 'sql');
  };
}

/**
 * Builds the database handle. Nothing connects here: the pool opens its first connection on the
 * first query. Every connection gets `search_path = <schema>` so migrations, models and raw SQL
 * all use unqualified names, and a test schema per vitest worker isolates tests completely.
 */
export function createDatabase(options: DatabaseOptions): Database {
  const schema = options.schema ?? 'public';
  const sequelize = new Sequelize(options.url, {
    dialect: 'postgres',
    dialectModule: pgModule,
    dialectOptions: {
      options: `-c search_path=${quoteIdent(schema)}`,
      application_name: 'vpn-platform',
    },
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000, acquire: 30_000, evict: 5_000 },
    logging: queryLogging(options),
    benchmark: options.onQuery !== undefined,
    define: { underscored: true },
  });
  const models = defineModels(sequelize);
  const cipher = createSecretCipher(options.encryptionKey);
  const repos = createRepositories({ sequelize, models, cipher });
  let closed: Promise<void> | undefined;
  return {
    sequelize,
    models,
    repos,
    cipher,
    schema,
    migrator: () => createMigrator(sequelize, { schema, logger: options.logger, cipher }),
    transaction: (fn) => sequelize.transaction(fn),
    async ping() {
      await sequelize.query('SELECT 1');
    },
    close() {
      closed ??= sequelize.close();
      return closed;
    },
  };
}
