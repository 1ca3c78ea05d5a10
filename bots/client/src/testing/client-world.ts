/**
 * The client bot's integration world: the project's Telegram and YooKassa emulators, the real
 * PostgreSQL (this worker's schema, seeded) and Redis (a prefix per file), and the bot built
 * with `createClientBot` taking updates by long polling. What the webhooks service and the worker
 * would do (store and settle a Stars payment, provision an account) is done here in-process by
 * `settleStars` and `provision`, so the bot's side can be tested fast; the e2e tests run the real
 * processes.
 */
import { randomUUID } from 'node:crypto';
import { createBilling, type Billing } from '@vpn/billing';
import { loadConfig, redisSchema } from '@vpn/config';
import { createChangeFeed, seedDefaults } from '@vpn/db';
import { createTestDatabase, makeServer, type TestDatabase } from '@vpn/db/testing';
import { createI18n, type I18n, type Language } from '@vpn/i18n';
import { createPaymentProviders, starsNotificationFromMessage } from '@vpn/payments';
import { createYooKassaEmulator, type YooKassaEmulator } from '@vpn/payments/testing';
import { createProducers, createQueueFactory, type QueueFactory } from '@vpn/queues';
import { createEmulator, type Emulator, type EmulatorClient, type SentMessage, type TgUser } from '@vpn/telegram-emulator';
import { startBot, type BotHandle, type RateLimitRule } from '@vpn/telegram-kit';
import { captureLogs, type LogLine } from '@vpn/telegram-kit/testing';
import type { UserFromGetMe } from 'grammy/types';
import { Redis } from 'ioredis';
import { createClientBot } from '../bot.js';
import { pressWithData } from './buttons.js';
import { staticAppCatalog } from '../services/app-catalog.js';
import { createCatalogCache } from '../services/catalog-cache.js';
import { createCustomerCache } from '../services/customer-cache.js';
import { liveCacheOver } from '../services/live-cache.js';
import { createPaymentMethodsSource } from '../services/payment-methods.js';
import { createGoLinkSigner } from '../services/go-links.js';
import type { StarsForwarder } from '../services/stars-forwarder.js';

export const TEST_BOT_TOKEN = '7200000001:ClientBotIntegrationTestToken0000';
export const GO_BASE_URL = 'https://vpn.example.test';
export const GO_LINK_TEST_SECRET = 'g'.repeat(32);

export interface ClientWorldOptions {
  rateLimit?: { general?: RateLimitRule | false; expensive?: RateLimitRule };
  /** `fail`: every Stars forward fails (the webhooks service unreachable); default: settled in-process. */
  starsForward?: 'settle' | 'fail';
  /** `PUBLIC_BASE_URL` of the `/go` links; default {@link GO_BASE_URL}. */
  goBaseUrl?: string;
  /** How long billing reuses settings; 0 lets a test change a setting and see it at once. Default billing's. */
  settingsTtlMs?: number;
  /**
   * How long the doctor waits for the worker's live panel read. No worker runs here unless a test
   * consumes the `doctor` queue itself, so the default is short (500 ms): the doctor then says the
   * live check could not be made.
   */
  doctorWaitMs?: number;
}

export interface ClientWorld {
  emulator: Emulator;
  tg: EmulatorClient;
  db: TestDatabase;
  redis: Redis;
  queues: QueueFactory;
  yookassa: YooKassaEmulator;
  billing: Billing;
  i18n: I18n;
  botInfo: UserFromGetMe;
  logs: LogLine[];
  /** Every message the bot handed to the Stars forwarder. */
  forwarded: unknown[];
  /** A Telegram user who has not talked to the bot yet. */
  newUser(language: Language, firstName?: string): Promise<TgUser>;
  /** What the worker does once the panel answered: a synced account with a subscription URL. */
  provision(subscriptionId: number, url?: string): Promise<void>;
  /** The bot's next new message to `user` (after the last action). */
  next(user: TgUser, timeoutMs?: number): Promise<SentMessage>;
  /** The bot's next edit in `user`'s chat. */
  nextEdit(user: TgUser): Promise<SentMessage>;
  /** Presses the button labelled `label` on the newest bot message that has it; returns the callback query id. */
  press(user: TgUser, label: string): Promise<string>;
  /** A press with callback data no button of ours carries (a forged or garbled client), on the newest bot message. */
  pressForged(user: TgUser, data: string): string;
  close(): Promise<void>;
}

/** Does in-process what the webhooks service and the worker do with a forwarded Stars payment. */
function settlingForwarder(world: { db: TestDatabase; billing: Billing; forwarded: unknown[] }): StarsForwarder {
  return {
    async forward(message) {
      world.forwarded.push(message);
      const n = starsNotificationFromMessage(message);
      const payment = await world.db.repos.payments.get(n.paymentId ?? '');
      if (!payment) return 'rejected';
      const { event } = await world.db.repos.paymentEvents.insertOnce({
        provider: 'stars',
        providerEventId: n.eventId,
        kind: 'payment.succeeded',
        rawPayload: { raw: message },
        paymentId: payment.id,
      });
      await world.billing.settlement.settlePayment({
        paymentId: payment.id,
        provider: 'stars',
        externalId: n.externalId,
        providerStatus: 'succeeded',
        amountMinor: n.amountMinor,
        currency: n.currency,
        eventId: event.id,
      });
      return 'accepted';
    },
  };
}

/** A forwarder whose every try failed: the webhooks service is down. */
function failingForwarder(forwarded: unknown[]): StarsForwarder {
  return {
    forward(message) {
      forwarded.push(message);
      return Promise.resolve('failed');
    },
  };
}

export async function startClientWorld(file: string, options: ClientWorldOptions = {}): Promise<ClientWorld> {
  const emulator = await createEmulator({
    rateLimits: false,
    bots: [{ token: TEST_BOT_TOKEN, username: 'vpn_test_bot', firstName: 'VPN' }],
  });
  const db = await createTestDatabase();
  await db.truncateAll();
  await seedDefaults(db);
  const server = await makeServer(db.repos, { name: `it-${file}` });
  const redisUrl = loadConfig(redisSchema).REDIS_URL;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const prefix = `test:client:${file}:${randomUUID().slice(0, 8)}:`;
  const queues = createQueueFactory({ redisUrl, prefix: `t_client_${file}_${randomUUID().slice(0, 8)}` });
  const yookassa = await createYooKassaEmulator({});
  const { logger, lines } = captureLogs();
  const billing = createBilling({ db, logger, settingsTtlMs: options.settingsTtlMs });
  const i18n = createI18n();
  const botInfo = (await emulator.client.listBots())[0] as unknown as UserFromGetMe;
  const forwarded: unknown[] = [];
  // The live cache as production has it: tests that change rows behind the bot's back see the
  // bot answer from the changed rows, through the same announcements.
  const changes = createChangeFeed({ url: db.url, schema: db.schema, logger });
  await changes.start();
  const payments = createPaymentProviders(
    {
      PAYMENT_PROVIDERS: ['yookassa', 'stars'],
      YOOKASSA_SHOP_ID: yookassa.shopId,
      YOOKASSA_SECRET_KEY: yookassa.secretKey,
      YOOKASSA_API_URL: yookassa.apiUrl,
      YOOKASSA_RECEIPT_EMAIL: 'receipts@example.test',
    },
    { logger },
  );
  const bot = createClientBot({
    token: TEST_BOT_TOKEN,
    apiRoot: emulator.apiRoot,
    botInfo,
    logger,
    redis,
    i18n,
    db,
    billing,
    payments,
    // Read fresh on every checkout: a test that sets `payments.methods` sees it at once.
    methods: createPaymentMethodsSource({ settings: db.repos.settings, payments, logger, ttlMs: 0 }),
    producers: createProducers(queues),
    stars: options.starsForward === 'fail' ? failingForwarder(forwarded) : settlingForwarder({ db, billing, forwarded }),
    goLinks: createGoLinkSigner({ secret: GO_LINK_TEST_SECRET, baseUrl: options.goBaseUrl ?? GO_BASE_URL }),
    apps: staticAppCatalog(),
    customers: createCustomerCache({ users: db.repos.users, ttlMs: 200 }),
    catalog: createCatalogCache({ plans: db.repos.plans, faq: db.repos.faq, ttlMs: 200 }),
    live: liveCacheOver(changes, { billing, db }),
    prefix,
    rateLimit: options.rateLimit ?? { general: { limit: 1_000, windowMs: 10_000 }, expensive: { limit: 100, windowMs: 60_000 } },
    doctorWaitMs: options.doctorWaitMs ?? 500,
  });
  const handle: BotHandle = await startBot(bot, { mode: 'polling', logger, pollTimeoutSeconds: 1 });
  const tg = emulator.client;

  return {
    emulator,
    tg,
    db,
    redis,
    queues,
    yookassa,
    billing,
    i18n,
    botInfo,
    logs: lines,
    forwarded,
    newUser: (language, firstName = 'Анна') => tg.createUser({ firstName, languageCode: language }),
    async provision(subscriptionId, url) {
      const sub = await db.repos.subscriptions.get(subscriptionId);
      if (!sub) throw new Error(`no subscription ${subscriptionId}`);
      const account = await db.repos.vpnAccounts.upsertDesired({
        subscriptionId,
        serverId: server.id,
        panelUserKey: `u${subscriptionId}`,
        desiredVersion: sub.version,
      });
      await db.repos.vpnAccounts.markSynced(account.id, {
        version: sub.version,
        panelId: `u${subscriptionId}`,
        subscriptionUrl: url ?? `https://panel.example.test/sub/token-${subscriptionId}`,
        links: [],
      });
    },
    next: (user, timeoutMs = 5_000) => tg.waitForMessage({ chatId: user.id, bot: TEST_BOT_TOKEN, timeoutMs }),
    nextEdit: (user) => tg.waitForEdit({ chatId: user.id, bot: TEST_BOT_TOKEN, timeoutMs: 5_000 }),
    async press(user, label) {
      return (await tg.pressButton({ from: user.id, bot: TEST_BOT_TOKEN, text: label })).callbackQueryId;
    },
    pressForged: (user, data) => pressWithData(emulator, botInfo.id, user, data),
    async close() {
      await handle.stop();
      await Promise.allSettled([yookassa.close(), emulator.close()]);
      for (const queue of queues.opened()) await queue.obliterate({ force: true }).catch(() => undefined);
      await queues.close(true);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await changes.close();
      await db.close();
    },
  };
}
