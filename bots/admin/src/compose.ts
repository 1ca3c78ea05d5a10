import { createBackoffice } from '@vpn/backoffice';
import { createBilling } from '@vpn/billing';
import { createDatabase, databaseOptions, type Database } from '@vpn/db';
import { createI18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { createPaymentProviders } from '@vpn/payments';
import { createServerPool } from '@vpn/vpn';
import { createProducers, createQueueFactory, type QueueFactory } from '@vpn/queues';
import type { Bot } from 'grammy';
import { Redis } from 'ioredis';
import { createAdminBot } from './bot.js';
import type { AdminBotConfig } from './config.js';
import type { AdminContext } from './context.js';

/** The admin bot and the connections it holds, built from parsed config. */
export interface ComposedAdminBot {
  bot: Bot<AdminContext>;
  db: Database;
  redis: Redis;
  queues: QueueFactory;
}

/**
 * Builds the production admin bot from config: PostgreSQL, Redis, the queues, billing, the
 * enabled payment providers (refunds) and the back office. Nothing is started.
 */
export function composeAdminBot(config: AdminBotConfig, logger: Logger): ComposedAdminBot {
  const db = createDatabase({ ...databaseOptions(config), logger });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  const queues = createQueueFactory({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  const payments = createPaymentProviders(config, { logger });
  const billing = createBilling({ db, logger });
  // The pool probes panels for the servers section (health checks on demand).
  const pool = createServerPool({ servers: db.repos.servers, logger });
  const backoffice = createBackoffice({ db, billing, payments, pool, logger });
  const bot = createAdminBot({
    token: config.ADMIN_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    logger,
    redis,
    i18n: createI18n(),
    db,
    billing,
    backoffice,
    producers: createProducers(queues),
    queues,
    prefix: `${config.QUEUE_PREFIX}:admin:`,
    ...(config.CLIENT_BOT_USERNAME ? { clientBotUsername: config.CLIENT_BOT_USERNAME } : {}),
  });
  return { bot, db, redis, queues };
}
