import { describe, expect, it } from 'vitest';
import { CLIENT_TOKEN, SUPPORT_TOKEN, expectBadRequest, makeBot, useEmulator } from './harness.js';

describe('setMyCommands / getMyCommands / deleteMyCommands through grammY', () => {
  const env = useEmulator();

  it('keeps one list per scope and language code, each read back exactly', async () => {
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    expect(await bot.api.getMyCommands()).toEqual([]);

    const ru = [
      { command: 'start', description: 'Главное меню' },
      { command: 'help', description: 'Помощь' },
    ];
    const en = [{ command: 'start', description: 'Main menu' }];
    const admins = [{ command: 'stats', description: 'Statistics' }];
    const oneChat = [{ command: 'ticket', description: 'Open ticket' }];
    expect(await bot.api.setMyCommands(ru)).toBe(true);
    await bot.api.setMyCommands(en, { language_code: 'en' });
    await bot.api.setMyCommands(admins, { scope: { type: 'all_chat_administrators' } });
    await bot.api.setMyCommands(oneChat, { scope: { type: 'chat', chat_id: 4242 } });

    expect(await bot.api.getMyCommands()).toEqual(ru);
    expect(await bot.api.getMyCommands({ language_code: 'en' })).toEqual(en);
    // No fallback: a language or scope without its own list has none.
    expect(await bot.api.getMyCommands({ language_code: 'de' })).toEqual([]);
    expect(await bot.api.getMyCommands({ scope: { type: 'all_private_chats' } })).toEqual([]);
    expect(await bot.api.getMyCommands({ scope: { type: 'all_chat_administrators' } })).toEqual(admins);
    expect(await bot.api.getMyCommands({ scope: { type: 'chat', chat_id: 4242 } })).toEqual(oneChat);
    expect(await bot.api.getMyCommands({ scope: { type: 'chat', chat_id: 4243 } })).toEqual([]);
    // Each bot has its own menu.
    expect(await (await makeBot(env.emulator, SUPPORT_TOKEN)).api.getMyCommands()).toEqual([]);

    // Setting again replaces the list; deleting one scope leaves the others.
    await bot.api.setMyCommands([{ command: 'menu', description: 'Меню' }]);
    expect(await bot.api.getMyCommands()).toEqual([{ command: 'menu', description: 'Меню' }]);
    expect(await bot.api.deleteMyCommands({ language_code: 'en' })).toBe(true);
    expect(await bot.api.getMyCommands({ language_code: 'en' })).toEqual([]);
    expect(await bot.api.getMyCommands({ scope: { type: 'all_chat_administrators' } })).toEqual(admins);
    await bot.api.deleteMyCommands();
    expect(await bot.api.getMyCommands()).toEqual([]);
  });

  it('treats the same scope written in another field order as the same scope', async () => {
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const list = [{ command: 'card', description: 'Customer card' }];
    await bot.api.raw.setMyCommands({ commands: list, scope: { chat_id: -100123, user_id: 77, type: 'chat_member' } });
    expect(await bot.api.getMyCommands({ scope: { type: 'chat_member', chat_id: -100123, user_id: 77 } })).toEqual(list);
    expect(await bot.api.getMyCommands({ scope: { type: 'chat_member', chat_id: -100123, user_id: 78 } })).toEqual([]);
  });

  it.each([
    ['upper case', 'Start'],
    ['a leading slash', '/start'],
    ['non-Latin letters', 'баланс'],
    ['a hyphen', 'buy-plan'],
    ['more than 32 characters', 'a'.repeat(33)],
    ['nothing', ''],
  ])('refuses a command with %s as Telegram does: BOT_COMMAND_INVALID, keeping the old list', async (_what, command) => {
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const kept = [{ command: 'start', description: 'Start' }];
    await bot.api.setMyCommands(kept, { language_code: 'ru' });
    await expectBadRequest(
      bot.api.setMyCommands(
        [
          { command: 'ok_1', description: 'fine' },
          { command, description: 'x' },
        ],
        { language_code: 'ru' },
      ),
      'BOT_COMMAND_INVALID',
    );
    expect(await bot.api.getMyCommands({ language_code: 'ru' })).toEqual(kept);
  });

  it('accepts the longest valid name (32 of a-z, 0-9, _) and at most 100 commands', async () => {
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const longest = [{ command: `a_9${'z'.repeat(29)}`, description: 'd'.repeat(256) }];
    await bot.api.setMyCommands(longest, { language_code: 'uk' });
    expect(await bot.api.getMyCommands({ language_code: 'uk' })).toEqual(longest);
    const hundred = Array.from({ length: 100 }, (_, i) => ({ command: `c${i}`, description: `n${i}` }));
    expect(await bot.api.setMyCommands(hundred, { language_code: 'kk' })).toBe(true);
    expect(await bot.api.getMyCommands({ language_code: 'kk' })).toHaveLength(100);
  });
});
