import { describe, expect, it } from 'vitest';
import { InlineKeyboard, Keyboard, type Bot } from 'grammy';
import { CLIENT_TOKEN, botWithUser, expectBadRequest, makeBot, refusal, useEmulator } from './harness.js';

describe('sending, editing and deleting messages', () => {
  const env = useEmulator();

  const chat = (name: string): Promise<{ bot: Bot; userId: number }> => botWithUser(env.emulator, CLIENT_TOKEN, name);

  it('refuses chats that do not exist, users who never wrote, and bad text', async () => {
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const stranger = await env.emulator.client.createUser({ firstName: 'Stranger' });
    await expectBadRequest(bot.api.sendMessage(999_999_999, 'x'), 'chat not found');
    expect(await refusal(bot.api.sendMessage(stranger.id, 'x'))).toMatchObject({
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    const { userId } = await chat('Texty');
    await expectBadRequest(bot.api.sendMessage(userId, 'a'.repeat(4097)), 'message is too long');
    await expectBadRequest(bot.api.sendMessage(userId, '   '), 'message text is empty');
    expect((await refusal(bot.api.sendMessage(userId, '<b>x', { parse_mode: 'HTML' }))).description).toBe(
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    );
    expect(await env.emulator.client.getMessages({ chatId: userId, bot: CLIENT_TOKEN })).toEqual([]);
  });

  it('numbers messages per chat and keeps replies, keyboards and preview options', async () => {
    const { bot, userId } = await chat('Keys');
    const first = await bot.api.sendMessage(userId, 'Choose', {
      reply_markup: new Keyboard().text('Yes').text('No').resized(),
    });
    const second = await bot.api.sendMessage(userId, 'See https://example.com', {
      reply_parameters: { message_id: first.message_id },
      link_preview_options: { is_disabled: true },
      reply_markup: { remove_keyboard: true },
    });
    expect(second.message_id).toBe(first.message_id + 1);
    expect(second.reply_to_message?.message_id).toBe(first.message_id);
    expect(second.link_preview_options).toEqual({ is_disabled: true });
    expect(second.entities).toEqual([{ type: 'url', offset: 4, length: 19 }]);
    // Telegram echoes only inline keyboards; the emulator keeps the others for tests.
    expect(first.reply_markup).toBeUndefined();
    const [a, b] = await env.emulator.client.getMessages({ chatId: userId, bot: CLIENT_TOKEN });
    expect(a?.replyKeyboard).toMatchObject({
      keyboard: [[{ text: 'Yes' }, { text: 'No' }]],
      resize_keyboard: true,
    });
    expect(b?.replyKeyboard).toEqual({ remove_keyboard: true });
    expect(await refusal(bot.api.sendMessage(userId, 'x', { reply_parameters: { message_id: 9999 } }))).toEqual({
      error_code: 400,
      description: 'Bad Request: message to be replied not found',
    });
  });

  it('edits text and markup, and detects "message is not modified"', async () => {
    const { bot, userId } = await chat('Edit');
    const keyboard = new InlineKeyboard().text('a', 'a');
    const sent = await bot.api.sendMessage(userId, '<b>v1</b>', {
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });
    expect(
      await refusal(
        bot.api.editMessageText(userId, sent.message_id, '<b>v1</b>', {
          parse_mode: 'HTML',
          reply_markup: keyboard,
        }),
      ),
    ).toEqual({
      error_code: 400,
      description:
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    });
    const edited = await bot.api.editMessageText(userId, sent.message_id, 'v2', {
      reply_markup: keyboard,
    });
    expect(edited).toMatchObject({
      text: 'v2',
      message_id: sent.message_id,
      edit_date: expect.any(Number),
    });
    const noKeyboard = await bot.api.editMessageReplyMarkup(userId, sent.message_id);
    expect(noKeyboard).not.toHaveProperty('reply_markup');
    expect((await refusal(bot.api.editMessageReplyMarkup(userId, sent.message_id))).description).toContain('message is not modified');
    await expectBadRequest(bot.api.editMessageText(userId, 424242, 'x'), 'message to edit not found');
    expect((await refusal(bot.api.editMessageCaption(userId, sent.message_id, { caption: 'c' }))).description).toBe(
      'Bad Request: there is no caption in the message to edit',
    );
  });

  it('deletes messages and records chat actions', async () => {
    const { bot, userId } = await chat('Del');
    const sent = await bot.api.sendMessage(userId, 'bye');
    await bot.api.sendChatAction(userId, 'typing');
    expect(await bot.api.deleteMessage(userId, sent.message_id)).toBe(true);
    await expectBadRequest(bot.api.deleteMessage(userId, sent.message_id), 'message to delete not found');
    expect(await env.emulator.client.getMessages({ chatId: userId, bot: CLIENT_TOKEN })).toEqual([]);
    const actions = await env.emulator.client.getEvents({ types: ['chat_action'] });
    expect(actions.at(-1)).toMatchObject({ chatId: userId, detail: { action: 'typing' } });
    expect((await refusal(bot.api.sendChatAction(userId, 'dancing' as 'typing'))).description).toBe(
      'Bad Request: wrong parameter action in request',
    );
  });

  it('refuses button URLs Telegram refuses: no dot in the host, IPv6 literals, other schemes', async () => {
    const { bot, userId } = await chat('Links');
    for (const url of [
      'http://localhost:8080/go',
      'https://webhooks/go/x',
      'http://[::1]/x',
      'ftp://example.com/x',
      'https://example./x',
    ]) {
      await expectBadRequest(
        bot.api.sendMessage(userId, 'x', { reply_markup: new InlineKeyboard().url('open', url) }),
        `inline keyboard button URL '${url}' is invalid: Wrong HTTP URL`,
      );
    }
    for (const url of ['https://vpn.example.com/go/x?a=1', 'http://203.0.113.5:8080/x', 'tg://resolve?domain=durov']) {
      await expect(bot.api.sendMessage(userId, url, { reply_markup: new InlineKeyboard().url('open', url) })).resolves.toMatchObject({
        text: url,
      });
    }
    expect(await env.emulator.client.getMessages({ chatId: userId, bot: CLIENT_TOKEN })).toHaveLength(3);
  });

  it('tells the bot about a block with my_chat_member and then refuses with 403', async () => {
    const { bot, userId } = await chat('Blocker');
    const updates: string[] = [];
    bot.on('my_chat_member', (ctx) => {
      updates.push(`${ctx.myChatMember.old_chat_member.status}->${ctx.myChatMember.new_chat_member.status}`);
    });
    await env.emulator.client.blockBot({ from: userId, bot: CLIENT_TOKEN });
    expect(await refusal(bot.api.sendMessage(userId, 'hello?'))).toMatchObject({
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await env.emulator.client.unblockBot({ from: userId, bot: CLIENT_TOKEN });
    await expect(bot.api.sendMessage(userId, 'welcome back')).resolves.toMatchObject({
      text: 'welcome back',
    });
    for (const update of await bot.api.getUpdates()) await bot.handleUpdate(update);
    expect(updates.slice(-2)).toEqual(['member->kicked', 'kicked->member']);
    const last = await bot.api.getUpdates();
    await bot.api.getUpdates({ offset: (last.at(-1)?.update_id ?? 0) + 1 });
  });
});
