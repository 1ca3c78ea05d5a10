/**
 * End-to-end world: the real processes (webhooks service, worker, client bot) started by the
 * platform harness (`@vpn/scripts/platform`) on this vitest worker's PostgreSQL schema and a
 * queue prefix of their own, with Telegram, Marzban and YooKassa emulated in the test process.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig, readEnv, redisSchema } from '@vpn/config';
import { createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '@vpn/db/testing';
import { createI18n, type I18n } from '@vpn/i18n';
import { startOutsideWorld, startPlatform, type OutsideWorld, type Platform } from '@vpn/scripts/platform';
import type { SentMessage, TgUser } from '@vpn/telegram-emulator';
import { Redis } from 'ioredis';
import { pressWithData } from './buttons.js';

export interface PlatformWorld {
  world: OutsideWorld;
  platform: Platform;
  db: TestDatabase;
  i18n: I18n;
  bot: string;
  /** Where each process writes its log (read them when a test fails). */
  logDir: string;
  newUser(language: 'ru' | 'en', firstName?: string): Promise<TgUser>;
  /** The bot's next new message to `user` after the last action, within `timeoutMs`. */
  next(user: TgUser, timeoutMs?: number): Promise<SentMessage>;
  nextEdit(user: TgUser): Promise<SentMessage>;
  /** Waits until the bot sent `user` a message matching `match` (any time after `afterSeq`). */
  waitFor(user: TgUser, match: (m: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>;
  press(user: TgUser, label: string): Promise<string>;
  /** A press with hand-made callback data on the newest bot message (forged, or a worker's plain button). */
  pressData(user: TgUser, data: string): string;
  /** The webhooks service's base URL (the /go pages). */
  webhooksUrl: string;
  close(): Promise<void>;
}

export async function startPlatformWorld(name: string): Promise<PlatformWorld> {
  const db = await createTestDatabase();
  await db.truncateAll();
  const world = await startOutsideWorld({ telegramRateLimits: false });
  const redisUrl = loadConfig(redisSchema).REDIS_URL;
  const queuePrefix = `t_client_e2e_${randomUUID().slice(0, 8)}`;
  const logDir = `/tmp/client-bot-e2e/${name}-${Date.now()}`;
  const platform = await startPlatform({
    databaseUrl: db.url,
    schema: db.schema,
    redisUrl,
    queuePrefix,
    encryptionKey: TEST_ENCRYPTION_KEY,
    world,
    logLevel: 'info',
    baseEnv: readEnv(),
    output: (service) => ({ mode: { file: `${logDir}/${service}.log` } }),
  });
  const tg = world.telegram.client;
  const bot = world.clientBotToken;
  return {
    world,
    platform,
    db,
    i18n: createI18n(),
    bot,
    logDir,
    newUser: (language, firstName = 'Иван') => tg.createUser({ firstName, languageCode: language }),
    next: (user, timeoutMs = 10_000) => tg.waitForMessage({ chatId: user.id, bot, timeoutMs }),
    nextEdit: (user) => tg.waitForEdit({ chatId: user.id, bot, timeoutMs: 10_000 }),
    async waitFor(user, match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = (await tg.getMessages({ chatId: user.id, bot })).find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      const seen = (await tg.getMessages({ chatId: user.id, bot })).map((m) => m.text ?? m.caption ?? '[media]');
      throw new Error(`no matching message within ${timeoutMs} ms; the bot sent: ${JSON.stringify(seen.slice(-8))} (logs in ${logDir})`);
    },
    async press(user, label) {
      return (await tg.pressButton({ from: user.id, bot, text: label })).callbackQueryId;
    },
    pressData: (user, data) => pressWithData(world.telegram, bot, user, data),
    webhooksUrl: platform.webhooksUrl,
    async close() {
      await platform.stop();
      await world.close();
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      const keys = await redis.keys(`${queuePrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await db.close();
    },
  };
}
