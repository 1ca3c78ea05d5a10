import { describe, expect, it } from 'vitest';
import type { Message } from 'grammy/types';
import { CLIENT_TOKEN, useEmulator } from './harness.js';

describe('a user edits their message (control API editText)', () => {
  const env = useEmulator();

  it('delivers edited_message to a grammY bot with the same message id, the new text and entities, and edit_date', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Edith', languageCode: 'en' });
    const originals: Message[] = [];
    const edits: Message[] = [];
    await env.started(CLIENT_TOKEN, (bot) => {
      bot.on('message:text', async (ctx) => {
        originals.push(ctx.msg);
        await ctx.reply(`got: ${ctx.msg.text}`);
      });
      bot.on('edited_message:text', async (ctx) => {
        edits.push(ctx.editedMessage);
        await ctx.reply(`now: ${ctx.editedMessage.text}`, { reply_parameters: { message_id: ctx.editedMessage.message_id } });
      });
    });

    const sent = await env.emulator.client.sendText({ from: user.id, bot: CLIENT_TOKEN, text: 'my key does not work' });
    expect((await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN })).text).toBe('got: my key does not work');

    const edited = await env.emulator.client.editText({
      from: user.id,
      bot: CLIENT_TOKEN,
      messageId: sent.messageId,
      text: 'my key does not work, see /help or https://example.com',
    });
    expect(edited.messageId).toBe(sent.messageId);
    expect(edited.updateIds).toHaveLength(1);
    const reply = await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    expect(reply.text).toBe('now: my key does not work, see /help or https://example.com');
    expect(reply.message.reply_to_message?.message_id).toBe(sent.messageId);
    // What the emulator shows for the chat is the edited text too.
    expect(edited.message).toMatchObject({ text: reply.text?.slice(5), edit_date: expect.any(Number) });

    expect(originals).toHaveLength(1);
    expect(edits).toHaveLength(1);
    const [before] = originals;
    const [after] = edits;
    expect(after).toMatchObject({
      message_id: before!.message_id,
      chat: { id: user.id, type: 'private' },
      from: { id: user.id, first_name: 'Edith', is_bot: false },
      date: before!.date,
      text: 'my key does not work, see /help or https://example.com',
      entities: [
        { type: 'bot_command', offset: 26, length: 5 },
        { type: 'url', offset: 35, length: 19 },
      ],
    });
    expect(after!.edit_date).toBeGreaterThanOrEqual(before!.date);
    expect(before!.edit_date).toBeUndefined();
  });

  it("refuses to edit a message the user did not send, and a bot's message", async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Eve' });
    const other = await env.emulator.client.createUser({ firstName: 'Mallory' });
    await env.started(CLIENT_TOKEN, (bot) => bot.on('message:text', (ctx) => ctx.reply('ok')));
    const sent = await env.emulator.client.sendText({ from: user.id, bot: CLIENT_TOKEN, text: 'mine' });
    const botReply = await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    await expect(
      env.emulator.client.editText({ from: other.id, bot: CLIENT_TOKEN, messageId: sent.messageId, text: 'x' }),
    ).rejects.toThrow();
    await expect(
      env.emulator.client.editText({ from: user.id, bot: CLIENT_TOKEN, messageId: botReply.messageId, text: 'x' }),
    ).rejects.toThrow(`user ${user.id} has no message ${botReply.messageId} here`);
  });
});
