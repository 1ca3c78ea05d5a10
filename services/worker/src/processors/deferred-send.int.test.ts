import { randomUUID } from 'node:crypto';
import { createI18n } from '@vpn/i18n';
import { createBot, type BotContext } from '@vpn/telegram-kit';
import { captureLogs } from '@vpn/telegram-kit/testing';
import { Composer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_BOT_TOKEN, useWorkerHarness } from '../testing/worker-harness.js';

const h = useWorkerHarness();
const prefix = `test:deferred-send:${randomUUID().slice(0, 8)}:`;
/** The bot's sessions and limits share the queue's Redis connection (ioredis, as the kit takes). */
const redisOf = () => h.queues.queue(h.producers.deferredSend.contract).client;
afterAll(async () => {
  const redis = redisOf();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
});

/** A bot built as the client bot is: handlers wait out at most 10 s, longer waits go to the worker. */
async function clientLikeBot() {
  const { logger, lines } = captureLogs();
  const botInfo = (await h.telegram.client.listBots())[0] as unknown as UserFromGetMe;
  const replies = new Composer<BotContext<object>>();
  replies.command('hello', (ctx) => ctx.reply('Hello, <b>there</b>'));
  const bot = createBot<object>(CLIENT_BOT_TOKEN, {
    apiRoot: h.telegram.apiRoot,
    botInfo,
    logger,
    redis: redisOf(),
    i18n: createI18n(),
    prefix,
    session: { initial: () => ({}) },
    api: { maxRetryAfterSeconds: 10 },
    deferSend: async ({ id, method, payload, retryAfterSeconds }) => {
      await h.producers.deferredSend.add({ bot: 'client', id, method, payload }, { delay: retryAfterSeconds * 1_000 });
    },
    features: () => [replies],
  });
  return { bot, lines };
}

const hello = (updateId: number, chatId: number): Update => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: 'private', first_name: 'Ivan' },
    from: { id: chatId, is_bot: false, first_name: 'Ivan' },
    text: '/hello',
    entities: [{ type: 'bot_command', offset: 0, length: 6 }],
  },
});

describe('deferred sends', () => {
  it(
    'a reply that meets a flood wait longer than a handler waits is sent once, by the worker, after the wait',
    { timeout: 40_000 },
    async () => {
      const user = await h.customer();
      const { bot, lines } = await clientLikeBot();
      // Telegram makes the bot wait 12 s (both tries below meet it): longer than the 10 s a handler sits in.
      await h.telegram.client.injectFault({
        method: 'sendMessage',
        bot: CLIENT_BOT_TOKEN,
        times: 2,
        error: { code: 429, description: 'Too Many Requests: retry after 12', retryAfter: 12 },
      });
      const before = (await h.messagesTo(user)).length;
      const started = Date.now();
      await bot.handleUpdate(hello(1, user.telegramId));
      // The same update handled again (a webhook redelivery) hands on the same send: one job.
      await bot.handleUpdate(hello(1, user.telegramId));
      expect(Date.now() - started).toBeLessThan(5_000);
      const waiting = await h.queues.queue(h.producers.deferredSend.contract).getDelayed();
      expect(waiting).toHaveLength(1);
      expect(lines.some((l) => l.msg === 'flood wait too long to wait inline; send handed to the worker')).toBe(true);
      // Nothing failed loudly, and the user was not told "something went wrong" into the same wait.
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);

      await h.until(async () => (await h.messagesTo(user)).length > before, 25_000, 'the deferred reply');
      expect(Date.now() - started).toBeGreaterThanOrEqual(12_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await h.messagesTo(user)).slice(before)).toEqual(['Hello, there']);
    },
  );
});
