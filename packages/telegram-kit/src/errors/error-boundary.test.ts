import { createI18n } from '@vpn/i18n';
import { Bot, type Context } from 'grammy';
import { describe, expect, it, vi } from 'vitest';
import { callbackUpdate, captureLogs, messageUpdate, recordApiCalls, testBotInfo, testUser, type ApiCall } from '../testing/index.js';
import { createBotErrorHandler } from './error-boundary.js';

const i18n = createI18n();
type Answer = ReturnType<NonNullable<Parameters<typeof recordApiCalls>[1]>>;

function botThat(handler: (ctx: Context) => Promise<unknown>, respond?: (call: ApiCall) => Answer | undefined) {
  const bot = new Bot('1:test', { botInfo: testBotInfo() });
  const calls = recordApiCalls(bot.api, (call) => respond?.(call) ?? { ok: true, result: true });
  const { logger, lines } = captureLogs();
  const onUserBlockedBot = vi.fn();
  bot.errorBoundary(createBotErrorHandler({ logger, i18n, onUserBlockedBot })).use(handler);
  return { bot, calls, lines, onUserBlockedBot };
}

const fail = async () => {
  throw new Error('boom');
};

describe('the bot error boundary', () => {
  it('logs a failure with the update id and replies politely in the user language', async () => {
    const { bot, calls, lines } = botThat(fail);
    const update = messageUpdate(testUser(1, 'ru'), 'hi');
    await bot.handleUpdate(update);
    await bot.handleUpdate(messageUpdate(testUser(2, 'en-GB'), 'hi'));
    expect(calls.map((c) => [c.method, c.payload.chat_id, c.payload.text])).toEqual([
      ['sendMessage', 1, i18n.t('ru', 'common.errors.generic')],
      ['sendMessage', 2, i18n.t('en', 'common.errors.generic')],
    ]);
    expect(lines[0]).toMatchObject({ level: 50, update_id: update.update_id, msg: 'update failed' });
  });

  it('answers a pressed button with a toast, or writes in the chat when the query cannot be answered', async () => {
    const { bot, calls } = botThat(fail);
    await bot.handleUpdate(callbackUpdate(testUser(3, 'en'), 'x'));
    expect(calls.map((c) => [c.method, c.payload.text])).toEqual([['answerCallbackQuery', i18n.t('en', 'common.errors.generic')]]);

    const old = botThat(fail, (call) =>
      call.method === 'answerCallbackQuery' ? { ok: false, error_code: 400, description: 'Bad Request: query is too old' } : undefined,
    );
    await old.bot.handleUpdate(callbackUpdate(testUser(4, 'en'), 'x'));
    expect(old.calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
  });

  it('marks the blocked user (from the failed call) and does not reply', async () => {
    const { bot, calls, onUserBlockedBot } = botThat(
      (ctx) => ctx.api.sendMessage(555, 'news'),
      (call) =>
        call.payload.chat_id === 555 ? { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } : undefined,
    );
    await bot.handleUpdate(messageUpdate(testUser(5, 'en'), '/notify'));
    expect(onUserBlockedBot).toHaveBeenCalledTimes(1);
    expect(onUserBlockedBot).toHaveBeenCalledWith(555);
    expect(calls.map((c) => c.payload.chat_id)).toEqual([555]);
  });

  it('ignores "message is not modified" without a reply or an error log', async () => {
    const { bot, calls, lines } = botThat(
      (ctx) => ctx.api.editMessageText(6, 1, 'same'),
      () => ({ ok: false, error_code: 400, description: 'Bad Request: message is not modified' }),
    );
    await bot.handleUpdate(messageUpdate(testUser(6, 'en'), 'x'));
    expect(calls.map((c) => c.method)).toEqual(['editMessageText']);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('survives a failing reply', async () => {
    const { bot, lines } = botThat(fail, () => ({ ok: false, error_code: 500, description: 'Internal Server Error' }));
    await expect(bot.handleUpdate(messageUpdate(testUser(7), 'x'))).resolves.toBeUndefined();
    expect(lines.map((l) => l.msg)).toEqual(['update failed', 'could not tell the user about the error']);
  });
});
