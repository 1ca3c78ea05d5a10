import { Bot, type Context } from 'grammy';
import { describe, expect, it, vi } from 'vitest';
import type { KitFlavor } from '../context.js';
import { captureLogs, messageUpdate, recordApiCalls, testBotInfo, testUser } from '../testing/index.js';
import { loggerMiddleware } from './logger.middleware.js';

type C = Context & Pick<KitFlavor, 'logger'>;

function botLogging(level: string, handler: (ctx: C) => void) {
  const { logger, lines } = captureLogs();
  logger.level = level;
  const child = vi.spyOn(logger, 'child');
  const bot = new Bot<C>('1:test', { botInfo: testBotInfo() });
  recordApiCalls(bot.api);
  bot.use(loggerMiddleware<C>(logger));
  bot.use((ctx) => handler(ctx));
  return { bot, lines, child };
}

describe('loggerMiddleware', () => {
  it('writes the update, user and chat ids on every line, making the child only for a line that is written', async () => {
    const { bot, lines, child } = botLogging('info', (ctx) => {
      ctx.logger.debug('below the level');
      ctx.logger.info({ step: 1 }, 'first');
      ctx.logger.warn('second');
    });
    await bot.handleUpdate(messageUpdate(testUser(42), 'hi'));
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l.msg, l.update_id, l.user_id, l.chat_id])).toEqual([
      ['first', expect.any(Number), 42, 42],
      ['second', expect.any(Number), 42, 42],
    ]);
  });

  it('makes no child when nothing is written at an enabled level', async () => {
    const { bot, lines, child } = botLogging('info', (ctx) => {
      ctx.logger.debug('only debug');
      ctx.logger.trace('only trace');
    });
    await bot.handleUpdate(messageUpdate(testUser(7), 'hi'));
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('gives a child of its own that keeps the update bindings', async () => {
    const { bot, lines } = botLogging('info', (ctx) => ctx.logger.child({ part: 'checkout' }).info('nested'));
    await bot.handleUpdate(messageUpdate(testUser(9), 'hi'));
    expect(lines).toEqual([expect.objectContaining({ msg: 'nested', part: 'checkout', user_id: 9 })]);
  });
});
