import { initProcessMetrics, startOpsServer } from '@vpn/metrics';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createBackoffice } from '@vpn/backoffice';
import { createBilling } from '@vpn/billing';
import { configOrExit } from '@vpn/config';
import { createDatabase, databaseOptions } from '@vpn/db';
import { createLogger, prettyLogs } from '@vpn/logger';
import { createPaymentProviders } from '@vpn/payments';
import { createApi, createShutdown } from '@vpn/telegram-kit';
import { createQueueFactory } from '@vpn/queues';
import { createServerPool } from '@vpn/vpn';
import { Redis } from 'ioredis';
import { createAdminApi } from './app.js';
import { rememberBotUsername } from './auth/widget-bot.js';
import { platformQueues } from './http/queue-board.js';
import { loadAdminApiConfig } from './config.js';

/**
 * The admin API process: parse config, build the back office (the same actions as the admin bot),
 * listen, and shut down once on SIGINT/SIGTERM.
 */
const config = configOrExit(loadAdminApiConfig);
initProcessMetrics('admin-api');
const logger = createLogger({ name: 'admin-api', level: config.LOG_LEVEL, pretty: prettyLogs(config) });
const db = createDatabase({ ...databaseOptions(config), logger });
const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
const billing = createBilling({ db, logger });
// Stars refunds go through the client bot (it received the payment).
const starsBotApi = config.CLIENT_BOT_TOKEN ? createApi(config.CLIENT_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, logger }) : undefined;
const payments = createPaymentProviders(config, { logger, ...(starsBotApi ? { starsBotApi } : {}) });
// The pool probes panels for the servers routes (a health check on demand), as in the admin bot.
const pool = createServerPool({ servers: db.repos.servers, logger });
// Bull Board reads and manages the same queues the worker consumes (same Redis prefix).
const queueFactory = createQueueFactory({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
const secret = config.ADMIN_API_SECRET ?? randomBytes(32).toString('hex');
if (!config.ADMIN_API_SECRET) logger.warn('ADMIN_API_SECRET is unset: a random key is used, so sign-ins end when this process restarts');

/** The Login Widget button names the admin bot: its username, asked of Telegram once. */
const adminBotUsername = (token: string) =>
  rememberBotUsername(() => createApi(token, { apiRoot: config.TELEGRAM_API_ROOT, logger }).getMe(), logger);

const { app } = createAdminApi({
  db,
  backoffice: createBackoffice({ db, billing, payments, pool, logger }),
  redis,
  redisPrefix: config.QUEUE_PREFIX,
  logger,
  secret,
  ttl: { accessSeconds: config.ADMIN_API_ACCESS_TTL_SECONDS, refreshSeconds: config.ADMIN_API_REFRESH_TTL_DAYS * 86_400 },
  ...(config.ADMIN_BOT_TOKEN ? { adminBotToken: config.ADMIN_BOT_TOKEN, widgetBot: adminBotUsername(config.ADMIN_BOT_TOKEN) } : {}),
  trustProxy: config.ADMIN_API_TRUST_PROXY,
  queues: platformQueues(queueFactory),
  // Next to src/ (tsx) and dist/ (the bundle) alike.
  webRoot: join(import.meta.dirname, '..', 'web', 'dist'),
});

const server = createServer(app.callback());
const shutdown = createShutdown(logger);
shutdown.onShutdown('http', () => new Promise<void>((resolve) => server.close(() => resolve())));
shutdown.onShutdown('redis', async () => void (await redis.quit()));
shutdown.onShutdown('queues', () => queueFactory.close());
shutdown.onShutdown('database', () => db.close());
await new Promise<void>((resolve) =>
  server.listen(config.ADMIN_API_PORT, config.ADMIN_API_HOST, () => {
    logger.info(
      { port: config.ADMIN_API_PORT, host: config.ADMIN_API_HOST, loginWidget: Boolean(config.ADMIN_BOT_TOKEN) },
      'admin api listening',
    );
    resolve();
  }),
);
// The ops port: /healthz and /metrics for compose and Prometheus (never behind the proxy), once the API listens.
if (config.HEALTH_PORT !== undefined) {
  const health = await startOpsServer(config.HEALTH_PORT, { postgres: () => db.ping(), redis: () => redis.ping() });
  shutdown.onShutdown('health', () => health.close());
}
