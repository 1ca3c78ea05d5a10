/**
 * Shared set-up of the kit's integration tests: the project's Telegram emulator over HTTP, the real
 * Redis under a prefix unique to the test file, and a test bot built with the kit.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig, redisSchema } from '@vpn/config';
import { createI18n } from '@vpn/i18n';
import { createEmulator, type Emulator } from '@vpn/telegram-emulator';
import { Composer, type MiddlewareFn } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { Redis } from 'ioredis';
import type { BotContext } from '../context.js';
import { createBot, type CreateBotDeps } from '../create-bot.js';
import { captureLogs } from '../testing/index.js';

export const TOKEN = '7100000001:AAKitTestBotTokenForIntegrationTests';

export interface TestSession {
  visits: number;
}
export type TestContext = BotContext<TestSession>;

export interface KitWorld {
  emulator: Emulator;
  redis: Redis;
  prefix: string;
  botInfo: UserFromGetMe;
  close(): Promise<void>;
}

/** Starts the emulator (flood limits off unless a test turns them on) and connects to Redis. */
export async function startKitWorld(file: string): Promise<KitWorld> {
  const emulator = await createEmulator({
    rateLimits: false,
    timings: { callbackQueryTtlMs: 5_000, webhookRetryBaseMs: 20, webhookRetryMaxMs: 100 },
    bots: [{ token: TOKEN, username: 'kit_test_bot', firstName: 'Kit' }],
  });
  const redis = new Redis(loadConfig(redisSchema).REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `test:kit:${file}:${randomUUID()}:`;
  const info = (await emulator.client.listBots()).find((b) => TOKEN.startsWith(`${b.id}:`));
  if (!info) throw new Error('the emulator did not register the test bot');
  return {
    emulator,
    redis,
    prefix,
    botInfo: info as unknown as UserFromGetMe,
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await emulator.close();
    },
  };
}

/** The test bot's features: a session counter, a translated reply, a send to another user, an expensive action. */
function features(expensive: MiddlewareFn<TestContext>): Composer<TestContext> {
  const composer = new Composer<TestContext>();
  composer.command('visit', async (ctx) => {
    ctx.session.visits++;
    await ctx.reply(`visits: ${ctx.session.visits}`);
  });
  composer.command('lang', (ctx) => ctx.reply(`${ctx.i18n.language}: ${ctx.t('common.buttons.back')}`));
  composer.command('burst', async (ctx) => {
    await ctx.reply('one');
    await ctx.reply('two');
  });
  composer.command('notify', (ctx) => ctx.api.sendMessage(Number(ctx.match), 'news'));
  composer.command('slow', async (ctx) => {
    await new Promise((r) => setTimeout(r, 400));
    await ctx.reply('slow done');
  });
  composer.command('menu', (ctx) => ctx.reply('menu', { reply_markup: { inline_keyboard: [[{ text: 'QR', callback_data: 'qr' }]] } }));
  composer.command('qr', expensive, (ctx) => ctx.reply('qr ready'));
  composer.callbackQuery('qr', expensive, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply('qr ready');
  });
  return composer;
}

/** A bot built with the kit against the emulator; `logs` collects its log lines. */
export function buildTestBot(world: KitWorld, overrides: Partial<CreateBotDeps<TestSession, TestContext>> = {}) {
  const { logger, lines } = captureLogs();
  const bot = createBot<TestSession>(TOKEN, {
    apiRoot: world.emulator.apiRoot,
    botInfo: world.botInfo,
    logger,
    redis: world.redis,
    i18n: createI18n(),
    prefix: world.prefix,
    session: { initial: () => ({ visits: 0 }) },
    features: ({ expensive }) => [features(expensive)],
    ...overrides,
  });
  return { bot, logger, logs: lines };
}
