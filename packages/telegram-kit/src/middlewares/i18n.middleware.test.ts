import { createI18n, type Language } from '@vpn/i18n';
import { Bot } from 'grammy';
import { describe, expect, it, vi } from 'vitest';
import type { BotContext } from '../context.js';
import { messageUpdate, recordApiCalls, testBotInfo, testUser } from '../testing/index.js';
import { i18nMiddleware } from './i18n.middleware.js';

const i18n = createI18n();

function botWith(stored: Language | undefined) {
  const bot = new Bot<BotContext>('1:test', { botInfo: testBotInfo() });
  const calls = recordApiCalls(bot.api);
  const saveLanguage = vi.fn();
  bot.use(i18nMiddleware<BotContext>({ i18n, resolveLanguage: () => stored, saveLanguage }));
  bot.command('back', (ctx) => ctx.reply(ctx.t('common.buttons.back')));
  bot.command('switch', async (ctx) => {
    await ctx.i18n.setLanguage('en');
    await ctx.reply(`${ctx.i18n.language} ${ctx.t('common.buttons.back')}`);
  });
  return { bot, calls, saveLanguage };
}

describe('i18nMiddleware', () => {
  it('prefers the stored language over Telegram language_code, which is the fallback', async () => {
    const stored = botWith('en');
    await stored.bot.handleUpdate(messageUpdate(testUser(1, 'ru'), '/back'));
    const fromTelegram = botWith(undefined);
    await fromTelegram.bot.handleUpdate(messageUpdate(testUser(2, 'be'), '/back'));
    expect([stored.calls[0]?.payload.text, fromTelegram.calls[0]?.payload.text]).toEqual(['« Back', '« Назад']);
  });

  it('switches ctx.t for the rest of the update and persists the choice', async () => {
    const { bot, calls, saveLanguage } = botWith('ru');
    await bot.handleUpdate(messageUpdate(testUser(3, 'ru'), '/switch'));
    expect(calls[0]?.payload.text).toBe('en « Back');
    expect(saveLanguage).toHaveBeenCalledWith(expect.anything(), 'en');
  });
});
