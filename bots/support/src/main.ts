import { initProcessMetrics, startOpsServer } from '@vpn/metrics';
import { exitOnConfigError } from '@vpn/config';
import { createBackoffice } from '@vpn/backoffice';
import { createBilling } from '@vpn/billing';
import { createChangeFeed, createDatabase, databaseOptions } from '@vpn/db';
import { createI18n } from '@vpn/i18n';
import { createLogger } from '@vpn/logger';
import { createPaymentProviders } from '@vpn/payments';
import { createProducers, createQueueFactory } from '@vpn/queues';
import { checkForumRights, createApi, createShutdown, startBot, startOptionsFromConfig } from '@vpn/telegram-kit';
import { Redis } from 'ioredis';
import { createSupportBot } from './bot.js';
import { loadSupportBotConfig } from './config.js';
import { followChanges } from './features/card/follow-changes.js';
import { createCardRefresher } from './features/card/refresher.js';
import { createSlaWatch } from './features/sla/watch.js';

/**
 * The support bot process: parse config, open PostgreSQL, Redis and the queues, check that both
 * bots have what they need in the staff forum (refusing to start and naming the missing right
 * otherwise), take updates, shut down once on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadSupportBotConfig();
  initProcessMetrics('support-bot');
  const logger = createLogger({ name: 'support-bot', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY, nodeEnv: config.NODE_ENV });
  const shutdown = createShutdown(logger);
  const db = createDatabase({ ...databaseOptions(config), logger });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  const queues = createQueueFactory({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  shutdown.onShutdown('database', () => db.close());
  shutdown.onShutdown('redis', async () => void (await redis.quit()));
  shutdown.onShutdown('queues', () => queues.close());

  const i18n = createI18n();
  const billing = createBilling({ db, logger });
  const backoffice = createBackoffice({ db, billing, payments: createPaymentProviders(config, { logger }), logger });
  const api = createApi(config.SUPPORT_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, logger });
  const cards = createCardRefresher({ api, db, i18n, chatId: config.SUPPORT_CHAT_ID, logger });
  shutdown.onShutdown('cards', () => cards.close());
  // Whoever changes what a card shows (worker, admin bot, API, SQL), the card follows.
  const feed = createChangeFeed({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, logger });
  shutdown.onShutdown('change feed', () => feed.close());
  followChanges(feed, db, cards);
  await feed.start();

  const bot = createSupportBot({
    token: config.SUPPORT_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    logger,
    redis,
    i18n,
    db,
    backoffice,
    cards,
    producers: createProducers(queues),
    supportChatId: config.SUPPORT_CHAT_ID,
    prefix: `${config.QUEUE_PREFIX}:support:`,
  });
  await bot.init();
  const bots = [{ name: `the support bot @${bot.botInfo.username}`, id: bot.botInfo.id }];
  if (config.CLIENT_BOT_TOKEN) {
    const client = await createApi(config.CLIENT_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, logger }).getMe();
    bots.push({ name: `the client bot @${client.username}`, id: client.id });
  }
  const problems = await checkForumRights(bot.api, config.SUPPORT_CHAT_ID, bots);
  if (problems.length > 0) {
    for (const problem of problems) logger.error({ chatId: config.SUPPORT_CHAT_ID }, problem);
    await shutdown.fail('the staff forum is not set up', new Error(problems.join('; ')));
    return;
  }
  const handle = await startBot(bot, {
    ...startOptionsFromConfig(config, logger),
    onUnexpectedStop: (err) => void shutdown.fail('stopped taking updates', err),
  });
  shutdown.onShutdown('bot', () => handle.stop());
  // SLA flags and the summary topic, every minute.
  const stopSla = createSlaWatch({ api, db, i18n, chatId: config.SUPPORT_CHAT_ID, logger }).start();
  shutdown.onShutdown('sla', async () => stopSla());
  if (config.HEALTH_PORT !== undefined) {
    const health = await startOpsServer(config.HEALTH_PORT, {
      postgres: () => db.ping(),
      redis: () => redis.ping(),
      updates: () => (handle.isTakingUpdates() ? Promise.resolve() : Promise.reject(new Error('not taking updates'))),
    });
    shutdown.onShutdown('health', () => health.close());
  }
  logger.info({ bot: bot.botInfo.username, mode: handle.mode, chatId: config.SUPPORT_CHAT_ID }, 'support bot started');
}

main().catch((err: unknown) => {
  exitOnConfigError(err);
  process.stderr.write(`support bot failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
