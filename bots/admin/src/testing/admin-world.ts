/**
 * The admin bot's integration world: the project's Telegram emulator, the real PostgreSQL (this
 * worker's schema, seeded) and Redis (a prefix per file), billing and the back office (with a
 * YooKassa emulator for refunds), and the bot built with `createAdminBot` taking updates by long
 * polling. The e2e tests run the real processes.
 */
import { randomUUID } from 'node:crypto';
import { bootstrapOwners, createBackoffice, type Backoffice } from '@vpn/backoffice';
import { purchaseWithYooKassa } from '@vpn/backoffice/testing';
import { createBilling, type Billing } from '@vpn/billing';
import { loadConfig, redisSchema } from '@vpn/config';
import type { AdminRole, Payment } from '@vpn/db';
import { seedDefaults } from '@vpn/db';
import { createTestDatabase, type TestDatabase } from '@vpn/db/testing';
import { createI18n, type I18n, type Language, type Translate } from '@vpn/i18n';
import { createPaymentProviders, type PaymentProviders } from '@vpn/payments';
import { createYooKassaEmulator, type YooKassaEmulator } from '@vpn/payments/testing';
import { createServerPool } from '@vpn/vpn';
import { createProducers, createQueueFactory, type QueueFactory } from '@vpn/queues';
import { createEmulator, pressWithData, type Emulator, type EmulatorClient, type SentMessage, type TgUser } from '@vpn/telegram-emulator';
import { startBot, type BotHandle } from '@vpn/telegram-kit';
import { captureLogs, type LogLine } from '@vpn/telegram-kit/testing';
import type { UserFromGetMe } from 'grammy/types';
import { Redis } from 'ioredis';
import { createAdminBot } from '../bot.js';

export const ADMIN_TEST_TOKEN = '7300000001:AdminBotIntegrationTestToken0000';
/** The client bot the promo codes' deep links open. */
export const CLIENT_TEST_USERNAME = 'vpn_client_test_bot';

export interface AdminWorld {
  emulator: Emulator;
  tg: EmulatorClient;
  db: TestDatabase;
  redis: Redis;
  queues: QueueFactory;
  billing: Billing;
  backoffice: Backoffice;
  payments: PaymentProviders;
  yookassa: YooKassaEmulator;
  i18n: I18n;
  botInfo: UserFromGetMe;
  logs: LogLine[];
  /** A Telegram user who has not talked to the bot yet. */
  newUser(language?: Language, firstName?: string): Promise<TgUser>;
  /** A Telegram user who is staff with `role` (an owner through `ADMIN_IDS`' bootstrap when none exists yet). */
  staff(role: AdminRole, language?: Language): Promise<TgUser & { t: Translate }>;
  /** The customer buys `planId` through YooKassa and the payment is settled, as a real purchase is. */
  purchase(userId: number, planId: number): Promise<Payment>;
  /** Sends `/menu` as `user` and returns the main menu. */
  menu(user: TgUser): Promise<SentMessage>;
  /** Sends text as `user`. */
  say(user: TgUser, text: string): Promise<void>;
  /** The bot's next new message to `user`. */
  next(user: TgUser, timeoutMs?: number): Promise<SentMessage>;
  /** The bot's next edit in `user`'s chat. */
  nextEdit(user: TgUser): Promise<SentMessage>;
  /** Presses the button labelled `label` on the newest bot message that has it and waits for the edit it makes. */
  open(user: TgUser, label: string): Promise<SentMessage>;
  /** Presses the button labelled `label`; returns the callback query id. */
  press(user: TgUser, label: string): Promise<string>;
  /** A press with hand-made data (a button the admin was never shown) on the newest bot message; returns the callback query id. */
  pressData(user: TgUser, data: string): string;
  /** Every Bot API call the bot made into `chatId`'s chat, and its answers to `chatId`'s button presses. */
  callsAbout(chatId: number): Promise<string[]>;
  close(): Promise<void>;
}

/** `otherBots`: more bots the emulator knows (another bot run as a process beside this one, as in production). */
export async function startAdminWorld(
  file: string,
  options: { otherBots?: { token: string; username: string }[] } = {},
): Promise<AdminWorld> {
  const emulator = await createEmulator({
    rateLimits: false,
    bots: [{ token: ADMIN_TEST_TOKEN, username: 'vpn_admin_test_bot', firstName: 'Admin' }, ...(options.otherBots ?? [])],
  });
  const db = await createTestDatabase();
  await db.truncateAll();
  await seedDefaults(db);
  const redisUrl = loadConfig(redisSchema).REDIS_URL;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const prefix = `test:admin:${file}:${randomUUID().slice(0, 8)}:`;
  const queues = createQueueFactory({ redisUrl, prefix: `t_admin_${file}_${randomUUID().slice(0, 8)}` });
  const yookassa = await createYooKassaEmulator({ retryDelaysMs: [] });
  const { logger, lines } = captureLogs();
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
  const billing = createBilling({ db, logger, settingsTtlMs: 0 });
  const pool = createServerPool({
    servers: db.repos.servers,
    adapterDeps: { timeoutMs: 2_000 },
    retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const backoffice = createBackoffice({ db, billing, payments, pool, logger });
  const i18n = createI18n();
  const botInfo = (await emulator.client.listBots()).find((b) => b.username === 'vpn_admin_test_bot') as unknown as UserFromGetMe;
  const bot = createAdminBot({
    token: ADMIN_TEST_TOKEN,
    apiRoot: emulator.apiRoot,
    botInfo,
    logger,
    redis,
    i18n,
    db,
    billing,
    backoffice,
    producers: createProducers(queues),
    queues,
    prefix,
    clientBotUsername: CLIENT_TEST_USERNAME,
  });
  const handle: BotHandle = await startBot(bot, { mode: 'polling', logger, pollTimeoutSeconds: 1 });
  const tg = emulator.client;
  const bot_ = ADMIN_TEST_TOKEN;
  const owners: TgUser[] = [];

  const world: AdminWorld = {
    emulator,
    tg,
    db,
    redis,
    queues,
    billing,
    backoffice,
    payments,
    yookassa,
    i18n,
    botInfo,
    logs: lines,
    newUser: (language = 'ru', firstName = 'Анна') => tg.createUser({ firstName, languageCode: language }),
    async staff(role, language = 'en') {
      const user = await tg.createUser({ firstName: `${role}-${language}`, languageCode: language });
      if (role === 'owner' && owners.length === 0) await bootstrapOwners(db, [user.id]);
      else await db.repos.admins.upsert({ telegramId: user.id, role, name: `${role}-${language}` });
      if (role === 'owner') owners.push(user);
      return Object.assign(user, { t: i18n.forLanguage(language) });
    },
    async purchase(userId, planId) {
      const user = await db.repos.users.findById(userId);
      if (!user) throw new Error(`no user ${userId}`);
      return purchaseWithYooKassa({ billing, payments, yookassa }, user, planId);
    },
    async menu(user) {
      await tg.sendCommand({ from: user.id, bot: bot_, command: 'menu' });
      return world.next(user);
    },
    async say(user, text) {
      await tg.sendText({ from: user.id, bot: bot_, text });
    },
    next: (user, timeoutMs = 5_000) => tg.waitForMessage({ chatId: user.id, bot: bot_, timeoutMs }),
    nextEdit: (user) => tg.waitForEdit({ chatId: user.id, bot: bot_, timeoutMs: 5_000 }),
    async open(user, label) {
      await world.press(user, label);
      return world.nextEdit(user);
    },
    async press(user, label) {
      return (await tg.pressButton({ from: user.id, bot: bot_, text: label })).callbackQueryId;
    },
    pressData: (user, data) => {
      const { t: _t, ...plain } = user as TgUser & { t?: unknown };
      return pressWithData(emulator, botInfo.id, plain, data);
    },
    async callsAbout(chatId) {
      const sent = (await tg.getCalls({ bot: bot_ })).filter((c) => c.params.chat_id === chatId).map((c) => c.method);
      const answered = (await tg.getCallbackAnswers({ bot: bot_ })).filter((a) => a.userId === chatId && a.answered);
      return [...sent, ...answered.map(() => 'answerCallbackQuery')];
    },
    async close() {
      await handle.stop();
      await Promise.allSettled([yookassa.close(), emulator.close()]);
      for (const queue of queues.opened()) await queue.obliterate({ force: true }).catch(() => undefined);
      await queues.close(true);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await db.close();
    },
  };
  return world;
}
