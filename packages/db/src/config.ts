import { baseSchema, databaseSchema, encryptionSchema, z } from '@vpn/config';
import type { Logger } from '@vpn/logger';
import type { DatabaseOptions } from './database.js';

/** What a process needs in its environment to open the database (merge it into larger schemas). */
export const databaseProcessSchema = z.object({
  ...baseSchema.shape,
  ...databaseSchema.shape,
  ...encryptionSchema.shape,
});

export type DatabaseProcessConfig = z.output<typeof databaseProcessSchema>;

/** Maps parsed config (`DATABASE_URL`, `DATABASE_POOL_MAX`, `DATABASE_SCHEMA`, `ENCRYPTION_KEY`) to `createDatabase` options. */
export function databaseOptionsFromConfig(
  config: Pick<DatabaseProcessConfig, 'DATABASE_URL' | 'DATABASE_POOL_MAX' | 'DATABASE_SCHEMA' | 'ENCRYPTION_KEY'>,
  logger?: Logger,
): DatabaseOptions {
  return {
    url: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    schema: config.DATABASE_SCHEMA,
    encryptionKey: config.ENCRYPTION_KEY,
    logger,
  };
}
