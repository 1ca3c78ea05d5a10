import type { Sequelize } from 'sequelize';
import type { SecretCipher } from '../crypto.js';

/** What every migration receives: the Sequelize instance whose connections use the target schema. */
export interface MigrationContext {
  sequelize: Sequelize;
  /** The `ENCRYPTION_KEY` cipher, for data migrations that encrypt or decrypt existing rows. */
  cipher?: SecretCipher;
}

/** One umzug migration step. */
export type MigrationFn = (params: { context: MigrationContext }) => Promise<void>;

export interface MigrationModule {
  up: MigrationFn;
  down: MigrationFn;
}

/**
 * A migration written as plain PostgreSQL. Each direction runs in one transaction (PostgreSQL DDL
 * is transactional), so a failed step leaves the schema as it was. Table names are unqualified:
 * the connection's `search_path` points at the target schema.
 */
export function sqlMigration(upSql: string, downSql: string): MigrationModule {
  const run =
    (sql: string): MigrationFn =>
    async ({ context }) => {
      await context.sequelize.transaction(async (transaction) => {
        await context.sequelize.query(sql, { transaction });
      });
    };
  return { up: run(upSql), down: run(downSql) };
}
