import { describe, expect, it } from 'vitest';
import { CLIENT_TOKEN, makeBot, useEmulator } from './harness.js';

describe('long polling through @grammyjs/runner', () => {
  const env = useEmulator();

  it('answers getMe with the registered bot', async () => {
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const me = await bot.api.getMe();
    expect(me).toMatchObject({
      id: 7000000001,
      is_bot: true,
      username: 'client_test_bot',
      first_name: 'Client',
    });
  });

  it('delivers /start with a deep-link payload and a bot_command entity, and records the reply', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Ann', languageCode: 'en' });
    const seen: { payload: string; entity?: string }[] = [];
    await env.started(CLIENT_TOKEN, (bot) =>
      bot.command('start', async (ctx) => {
        seen.push({ payload: ctx.match, entity: ctx.msg.entities?.[0]?.type });
        await ctx.reply(`<b>Hi</b>, ${ctx.from?.first_name}`, { parse_mode: 'HTML' });
      }),
    );
    await env.emulator.client.start({ from: user.id, bot: CLIENT_TOKEN, payload: 'ref_abc' });
    const reply = await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    expect(seen).toEqual([{ payload: 'ref_abc', entity: 'bot_command' }]);
    expect(reply.text).toBe('Hi, Ann');
    expect(reply.entities).toEqual([{ type: 'bold', offset: 0, length: 2 }]);
    expect(reply.fromBot).toBe(true);
  });
});
