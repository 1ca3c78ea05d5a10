import { createBilling } from '@vpn/billing';
import { createChangeFeed, createDatabase, databaseOptions, type ChangeFeed, type Database } from '@vpn/db';
import { createI18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { createPaymentProviders } from '@vpn/payments';
import { createProducers, createQueueFactory, type QueueFactory } from '@vpn/queues';
import type { Bot } from 'grammy';
import { createSendLimiter, sendRatesFromConfig } from '@vpn/telegram-kit';
import { Redis } from 'ioredis';
import { createClientBot } from './bot.js';
import type { ClientBotConfig } from './config.js';
import type { ClientContext } from './context.js';
import { createAppCatalogSource } from './services/app-catalog.js';
import { createCatalogCache } from './services/catalog-cache.js';
import { createCustomerCache } from './services/customer-cache.js';
import { liveCacheOver } from './services/live-cache.js';
import { createPaymentMethodsSource } from './services/payment-methods.js';
import { createGoLinkSigner } from './services/go-links.js';
import { createHttpStarsForwarder } from './services/stars-forwarder.js';

/** The client bot and the connections it holds, built from parsed config. */
export interface ComposedClientBot {
  bot: Bot<ClientContext>;
  db: Database;
  redis: Redis;
  queues: QueueFactory;
  /** Committed subscription and account changes (the live cache's invalidation): `start()` it before taking updates. */
  changes: ChangeFeed;
}

/**
 * Builds the production client bot from config: PostgreSQL, Redis, the queues, billing, the
 * enabled payment providers, the Stars forwarder, the "add to app" link signer and the change
 * feed of the live cache. Nothing is started; the caller (`main.ts`, the bench) starts the bot and closes the connections.
 * `onQuery` observes every SQL statement (the bench counts them per update).
 */
export function composeClientBot(
  config: ClientBotConfig,
  logger: Logger,
  options: { onQuery?: (sql: string, ms: number) => void } = {},
): ComposedClientBot {
  const db = createDatabase({
    ...databaseOptions(config),
    logger,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
  // Auto-pipelining: the session reads and writes and the limiter calls of concurrent updates go
  // out in one write per tick instead of one system call each.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
  const queues = createQueueFactory({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  const payments = createPaymentProviders(config, { logger });
  const changes = createChangeFeed({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, logger });
  const billing = createBilling({ db, logger });
  const bot = createClientBot({
    token: config.CLIENT_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    logger,
    redis,
    i18n: createI18n(),
    db,
    billing,
    payments,
    methods: createPaymentMethodsSource({ settings: db.repos.settings, payments, logger }),
    producers: createProducers(queues),
    stars: createHttpStarsForwarder({ baseUrl: config.PUBLIC_BASE_URL, secret: config.STARS_FORWARD_SECRET, logger }),
    ...(config.GO_LINK_SECRET ? { goLinks: createGoLinkSigner({ secret: config.GO_LINK_SECRET, baseUrl: config.PUBLIC_BASE_URL }) } : {}),
    apps: createAppCatalogSource({ settings: db.repos.settings, logger }),
    customers: createCustomerCache({ users: db.repos.users }),
    catalog: createCatalogCache({ plans: db.repos.plans, faq: db.repos.faq }),
    live: liveCacheOver(changes, { billing, db }),
    // Sessions and limits live beside the environment's queues: a sandbox, a test run and
    // production sharing one Redis never see each other's customers.
    prefix: `${config.QUEUE_PREFIX}:client:`,
    // One send schedule per token with the worker's notifications, relays and broadcasts.
    sendLimiter: createSendLimiter(redis, `${config.QUEUE_PREFIX}:`, sendRatesFromConfig(config), logger),
  });
  return { bot, db, redis, queues, changes };
}
