import { afterEach, describe, expect, it, vi } from 'vitest';
import { InlineKeyboard } from 'grammy';
import { CLIENT_TOKEN, botWithUser, expectBadRequest, useEmulator } from './harness.js';

describe("a callback query expires after Telegram's 15 seconds", () => {
  // Telegram's own timings (no test shortcuts), with the clock under the test's control.
  const env = useEmulator({ timings: {} });
  afterEach(() => vi.useRealTimers());

  it('accepts an answer at 14.9 s and refuses one at 15.1 s with "query is too old"', async () => {
    const { bot, userId } = await botWithUser(env.emulator, CLIENT_TOKEN, 'Clock');
    const sent = await bot.api.sendMessage(userId, 'pick', { reply_markup: new InlineKeyboard().text('a', 'a').text('b', 'b') });
    // Only Date is faked: sockets and timers stay real, the emulator's notion of "now" moves.
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2026-12-04T12:00:00Z').getTime();
    vi.setSystemTime(start);
    const a = await env.emulator.client.pressButton({ from: userId, bot: CLIENT_TOKEN, data: 'a', messageId: sent.message_id });
    const b = await env.emulator.client.pressButton({ from: userId, bot: CLIENT_TOKEN, data: 'b', messageId: sent.message_id });

    vi.setSystemTime(start + 14_900);
    expect(await bot.api.answerCallbackQuery(a.callbackQueryId, { text: 'in time' })).toBe(true);
    vi.setSystemTime(start + 15_100);
    await expectBadRequest(
      bot.api.answerCallbackQuery(b.callbackQueryId, { text: 'late' }),
      'query is too old and response timeout expired or query ID is invalid',
    );
    const answers = await env.emulator.client.getCallbackAnswers({ bot: CLIENT_TOKEN });
    expect(answers.find((x) => x.callbackQueryId === a.callbackQueryId)).toMatchObject({ answered: true, text: 'in time' });
    expect(answers.find((x) => x.callbackQueryId === b.callbackQueryId)).toMatchObject({ answered: false });
  });
});
