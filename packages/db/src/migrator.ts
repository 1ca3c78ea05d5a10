import type { Logger } from '@vpn/logger';
import type { Sequelize } from 'sequelize';
import type { SecretCipher } from './crypto.js';
import { SequelizeStorage, Umzug } from 'umzug';
import { migrations, type MigrationContext } from './migrations/index.js';
import { quoteIdent } from './sql.js';

/** The migrations bookkeeping table (the only table `down --to 0` leaves behind). */
export const MIGRATIONS_TABLE = 'schema_migrations';

export interface MigratorOptions {
  /** The PostgreSQL schema to migrate; created if missing. Must match the connection's search_path. */
  schema: string;
  logger?: Logger;
  /** Needed by migrations that encrypt existing rows (they refuse to run on such rows without it). */
  cipher?: SecretCipher;
}

const relabel = ({ name, ...rest }: Record<string, unknown>) => ({ migration: name, ...rest });

/** An umzug instance over our ordered migrations (`up()`, `down({ to: 0 })`, `pending()`, `executed()`). */
export type Migrator = Umzug<MigrationContext>;

/**
 * Builds the migrator for one Sequelize instance. Nothing runs until a command is called; the
 * schema is created (IF NOT EXISTS) before every command, so a fresh test schema just works.
 */
export function createMigrator(sequelize: Sequelize, options: MigratorOptions): Migrator {
  const { schema, logger, cipher } = options;
  const umzug = new Umzug<MigrationContext>({
    migrations: migrations.map(({ name, module }) => ({
      name,
      up: module.up,
      down: module.down,
    })),
    context: { sequelize, cipher },
    storage: new SequelizeStorage({ sequelize, schema, tableName: MIGRATIONS_TABLE }),
    // umzug's records carry the migration as `name`, which would shadow the logger's own name.
    logger: logger
      ? {
          info: (m) => logger.info(relabel(m), 'migration'),
          warn: (m) => logger.warn(relabel(m), 'migration'),
          error: (m) => logger.error(relabel(m), 'migration'),
          debug: (m) => logger.debug(relabel(m), 'migration'),
        }
      : undefined,
  });
  umzug.on('beforeCommand', async () => {
    await sequelize.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  });
  return umzug;
}
