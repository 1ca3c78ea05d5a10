import { configOrExit, loadConfig } from '@vpn/config';
import { createDatabase, databaseOptionsFromConfig, databaseProcessSchema, type Database } from '@vpn/db';
import { createLogger, type Logger } from '@vpn/logger';

/**
 * The frame the database scripts (migrate, seed, create-admin) share: parse the environment
 * (one readable error listing every bad key), build a logger, open the database, run, close.
 * Failures are logged and turn into exit code 1; nothing calls process.exit, so logs flush.
 */
export async function runDatabaseScript(name: string, main: (ctx: { db: Database; logger: Logger }) => Promise<void>): Promise<void> {
  let logger: Logger = createLogger({ name });
  let db: Database | undefined;
  try {
    // A bad environment is printed as the readable list of keys (no JSON, no stack), exit 1.
    const config = configOrExit(() => loadConfig(databaseProcessSchema));
    logger = createLogger({ name, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, nodeEnv: config.NODE_ENV });
    db = createDatabase(databaseOptionsFromConfig(config, logger));
    await main({ db, logger });
  } catch (error) {
    if (error instanceof UsageError) logger.error(error.message);
    else logger.error({ err: error }, `${name} failed`);
    process.exitCode = 1;
  } finally {
    await db?.close();
  }
}

/** Thrown for bad command-line input: logged as a usage error without a stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}
