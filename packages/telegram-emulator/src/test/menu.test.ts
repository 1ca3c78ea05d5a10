import { describe, expect, it } from 'vitest';
import { Menu } from '@grammyjs/menu';
import { CLIENT_TOKEN, useEmulator } from './harness.js';

describe('@grammyjs/menu round trip', () => {
  const env = useEmulator();

  it('renders a menu, presses by label and by the hashed data of the last message, and sees updates', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Menu' });
    let count = 0;
    await env.started(CLIENT_TOKEN, (bot) => {
      const settings = new Menu('st').text('Back', (ctx) => ctx.menu.back());
      const main = new Menu('m')
        .text(
          () => `Count ${count}`,
          (ctx) => {
            count += 1;
            ctx.menu.update();
          },
        )
        .row()
        .submenu('Settings', 'st');
      main.register(settings);
      bot.use(main);
      bot.command('start', (ctx) => ctx.reply('Main menu', { reply_markup: main }));
    });
    const client = env.emulator.client;
    await client.start({ from: user.id, bot: CLIENT_TOKEN });
    const menu = await client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    expect(menu.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Count 0', 'Settings']);
    // The menu plugin packs its id, position and a fingerprint into the data.
    expect(menu.replyMarkup?.inline_keyboard[0]?.[0]?.callback_data).toMatch(/^m\/0\/0\//);

    const press = await client.pressButton({ from: user.id, bot: CLIENT_TOKEN, text: 'Count 0' });
    const updated = await client.waitForEdit({
      chatId: user.id,
      bot: CLIENT_TOKEN,
      messageId: menu.messageId,
    });
    expect(updated.replyMarkup?.inline_keyboard[0]?.[0]?.text).toBe('Count 1');
    expect((await client.waitForCallbackAnswer({ callbackQueryId: press.callbackQueryId })).answered).toBe(true);

    // Press with the exact data of the bot's last message, as the menu expects.
    const last = await client.lastMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    const data = last!.replyMarkup!.inline_keyboard[1]![0]!.callback_data!;
    await client.pressButton({ from: user.id, bot: CLIENT_TOKEN, data });
    const submenu = await client.waitForEdit({
      chatId: user.id,
      bot: CLIENT_TOKEN,
      messageId: menu.messageId,
    });
    expect(submenu.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Back']);
    await client.pressButton({ from: user.id, bot: CLIENT_TOKEN, text: 'Back' });
    const back = await client.waitForEdit({
      chatId: user.id,
      bot: CLIENT_TOKEN,
      messageId: menu.messageId,
    });
    expect(back.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Count 1', 'Settings']);
    expect(count).toBe(1);
  });
});
