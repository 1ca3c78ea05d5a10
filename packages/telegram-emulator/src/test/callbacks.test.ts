import { describe, expect, it } from 'vitest';
import { InlineKeyboard } from 'grammy';
import { CLIENT_TOKEN, makeBot, refusal, expectBadRequest, useEmulator } from './harness.js';

describe('inline buttons and callback queries', () => {
  const env = useEmulator();

  it('presses a button by its label, edits the message and records the answer', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Bob' });
    await env.started(CLIENT_TOKEN, (bot) => {
      bot.command('start', (ctx) =>
        ctx.reply('Pick one', {
          reply_markup: new InlineKeyboard().text('Plan A', 'plan:a').text('Plan B', 'plan:b'),
        }),
      );
      bot.callbackQuery(/^plan:(.)$/, async (ctx) => {
        await ctx.answerCallbackQuery({ text: `chose ${ctx.match[1]}` });
        await ctx.editMessageText(`You chose ${ctx.match[1]}`);
      });
    });
    await env.emulator.client.start({ from: user.id, bot: CLIENT_TOKEN });
    const menu = await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    expect(menu.replyMarkup?.inline_keyboard[0]?.map((b) => b.callback_data)).toEqual(['plan:a', 'plan:b']);

    const press = await env.emulator.client.pressButton({
      from: user.id,
      bot: CLIENT_TOKEN,
      text: 'Plan B',
    });
    const answer = await env.emulator.client.waitForCallbackAnswer({
      callbackQueryId: press.callbackQueryId,
    });
    const edited = await env.emulator.client.waitForEdit({
      chatId: user.id,
      bot: CLIENT_TOKEN,
      messageId: menu.messageId,
    });
    expect(answer).toMatchObject({
      answered: true,
      text: 'chose b',
      showAlert: false,
      data: 'plan:b',
    });
    expect(edited.text).toBe('You chose b');
    expect(edited.replyMarkup).toBeUndefined();
  });

  it('refuses a second answer and an unknown query with "query is too old"', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Cid' });
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    await env.emulator.client.start({ from: user.id, bot: CLIENT_TOKEN });
    const sent = await bot.api.sendMessage(user.id, 'x', {
      reply_markup: new InlineKeyboard().text('go', 'go'),
    });
    const press = await env.emulator.client.pressButton({
      from: user.id,
      bot: CLIENT_TOKEN,
      data: 'go',
      messageId: sent.message_id,
    });
    await bot.api.answerCallbackQuery(press.callbackQueryId);
    const again = await refusal(bot.api.answerCallbackQuery(press.callbackQueryId));
    expect(again).toMatchObject({
      error_code: 400,
      description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });
  });

  it('rejects callback data over 64 bytes with BUTTON_DATA_INVALID', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Dee' });
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    await env.emulator.client.start({ from: user.id, bot: CLIENT_TOKEN });
    // 22 Cyrillic letters are 44 bytes (fine), 33 are 66 bytes (too long although only 33 characters).
    await expect(
      bot.api.sendMessage(user.id, 'ok', {
        reply_markup: new InlineKeyboard().text('a', 'я'.repeat(22)),
      }),
    ).resolves.toBeDefined();
    await expectBadRequest(
      bot.api.sendMessage(user.id, 'no', {
        reply_markup: new InlineKeyboard().text('a', 'я'.repeat(33)),
      }),
      'BUTTON_DATA_INVALID',
    );
  });
});
