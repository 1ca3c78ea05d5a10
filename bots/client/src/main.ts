import { createBilling } from '@vpn/billing';
import { createDatabase } from '@vpn/db';
import { createI18n } from '@vpn/i18n';
import { createLogger } from '@vpn/logger';
import { createPaymentProviders } from '@vpn/payments';
import { createProducers, createQueueFactory } from '@vpn/queues';
import { createShutdown, startBot, startHealthServer, startOptionsFromConfig } from '@vpn/telegram-kit';
import { Redis } from 'ioredis';
import { createClientBot } from './bot.js';
import { publishCommands } from './commands.js';
import { loadClientBotConfig } from './config.js';
import { createAppCatalogSource } from './services/app-catalog.js';
import { createCustomerCache } from './services/customer-cache.js';
import { createGoLinkSigner } from './services/go-links.js';
import { createHttpStarsForwarder } from './services/stars-forwarder.js';

/**
 * The client bot process: parse config, open PostgreSQL, Redis and the queues, build the bot,
 * take updates (polling or webhook), answer /healthz, and shut down once on SIGINT/SIGTERM
 * (stop taking updates and finish the ones in hand, then close queues, Redis and the pool).
 */
async function main(): Promise<void> {
  const config = loadClientBotConfig();
  const logger = createLogger({ name: 'client-bot', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const shutdown = createShutdown(logger);

  const db = createDatabase({ url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, schema: config.DATABASE_SCHEMA, encryptionKey: config.ENCRYPTION_KEY, logger });
  shutdown.onShutdown('database', () => db.close());
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  shutdown.onShutdown('redis', async () => void (await redis.quit()));
  const queues = createQueueFactory({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  shutdown.onShutdown('queues', () => queues.close());

  const i18n = createI18n();
  const bot = createClientBot({
    token: config.CLIENT_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    logger,
    redis,
    i18n,
    db,
    billing: createBilling({ db, logger }),
    payments: createPaymentProviders(config, { logger }),
    producers: createProducers(queues),
    stars: createHttpStarsForwarder({ baseUrl: config.PUBLIC_BASE_URL, secret: config.STARS_FORWARD_SECRET, logger }),
    ...(config.GO_LINK_SECRET ? { goLinks: createGoLinkSigner({ secret: config.GO_LINK_SECRET, baseUrl: config.PUBLIC_BASE_URL }) } : {}),
    apps: createAppCatalogSource({ settings: db.repos.settings, logger }),
    customers: createCustomerCache({ users: db.repos.users }),
    // Sessions and limits live beside the environment's queues: a sandbox, a test run and
    // production sharing one Redis never see each other's customers.
    prefix: `${config.QUEUE_PREFIX}:client:`,
  });
  await bot.init();
  await publishCommands(bot.api, i18n, logger);

  const handle = await startBot(bot, startOptionsFromConfig(config, logger));
  shutdown.onShutdown('bot', () => handle.stop());
  if (config.HEALTH_PORT !== undefined) {
    const health = await startHealthServer(config.HEALTH_PORT, { postgres: () => db.ping(), redis: () => redis.ping() });
    shutdown.onShutdown('health', () => health.close());
  }
  logger.info({ bot: bot.botInfo.username, mode: handle.mode, goLinks: Boolean(config.GO_LINK_SECRET) }, 'client bot started');
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad config): stderr is the only place left.
  process.stderr.write(`client bot failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
