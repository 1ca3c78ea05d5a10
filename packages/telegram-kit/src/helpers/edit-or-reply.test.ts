import { Bot } from 'grammy';
import { describe, expect, it } from 'vitest';
import { callbackUpdate, messageUpdate, recordApiCalls, testBotInfo, testUser, type ApiCall } from '../testing/index.js';
import { editOrReply } from './edit-or-reply.js';

async function run(update: Parameters<Bot['handleUpdate']>[0], editAnswer?: { error_code: number; description: string }) {
  const bot = new Bot('1:test', { botInfo: testBotInfo() });
  const calls: ApiCall[] = recordApiCalls(bot.api, (call) =>
    call.method === 'editMessageText' && editAnswer ? { ok: false, ...editAnswer } : { ok: true, result: true },
  );
  bot.use((ctx) => editOrReply(ctx, 'menu', { reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'a' }]] } }));
  await bot.handleUpdate(update);
  return calls.map((c) => c.method);
}

describe('editOrReply', () => {
  it('edits the message whose button was pressed', async () => {
    expect(await run(callbackUpdate(testUser(1), 'x'))).toEqual(['editMessageText']);
  });

  it('sends a new message for a plain message update', async () => {
    expect(await run(messageUpdate(testUser(1), 'hi'))).toEqual(['sendMessage']);
  });

  it('treats "message is not modified" as done', async () => {
    const answer = { error_code: 400, description: 'Bad Request: message is not modified' };
    expect(await run(callbackUpdate(testUser(1), 'x'), answer)).toEqual(['editMessageText']);
  });

  it('falls back to a new message when the old one cannot be edited', async () => {
    const answer = { error_code: 400, description: "Bad Request: message can't be edited" };
    expect(await run(callbackUpdate(testUser(1), 'x'), answer)).toEqual(['editMessageText', 'sendMessage']);
  });

  it('lets other failures through to the error policy', async () => {
    const answer = { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
    await expect(run(callbackUpdate(testUser(1), 'x'), answer)).rejects.toThrow(/blocked/);
  });
});
