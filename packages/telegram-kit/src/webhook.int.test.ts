import { createI18n } from '@vpn/i18n';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotHandle } from './run/start-bot.js';
import { TOKEN, buildTestBot, startKitWorld, type KitWorld } from './test/harness.js';

const SECRET = 'kit_webhook_secret-1';
const i18n = createI18n();

describe('a bot built with the kit in webhook mode', () => {
  let world: KitWorld;
  let handle: BotHandle;
  let hookUrl: string;

  beforeAll(async () => {
    world = await startKitWorld('webhook');
    const { bot, logger } = buildTestBot(world);
    handle = await startBot(bot, {
      mode: 'webhook',
      url: (port) => `http://127.0.0.1:${port}/telegram/hook`,
      secretToken: SECRET,
      port: 0,
      host: '127.0.0.1',
      logger,
    });
    hookUrl = `http://127.0.0.1:${handle.port}/telegram/hook`;
  });
  afterAll(async () => {
    await handle.stop();
    await world.close();
  });

  it('registers the webhook with the secret and answers updates Telegram posts', async () => {
    const info = await fetch(`${world.emulator.apiRoot}/bot${TOKEN}/getWebhookInfo`).then((r) => r.json());
    expect(info).toMatchObject({ ok: true, result: { url: hookUrl } });
    const ann = await world.emulator.client.createUser({ firstName: 'Ann', languageCode: 'ru' });
    await world.emulator.client.sendCommand({ from: ann.id, bot: TOKEN, command: 'lang' });
    const reply = await world.emulator.client.waitForMessage({ chatId: ann.id, bot: TOKEN });
    expect(reply.text).toBe(`ru: ${i18n.t('ru', 'common.buttons.back')}`);
  });

  it('refuses a request without the right secret token (401) and anything but POST to the path (404)', async () => {
    const update = JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: '/lang' } });
    const post = (headers: Record<string, string>) =>
      fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: update });
    expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
    expect((await post({})).status).toBe(401);
    expect((await fetch(hookUrl)).status).toBe(404);
    expect((await fetch(hookUrl.replace('/hook', '/other'), { method: 'POST' })).status).toBe(404);
  });
});

describe('stopping a webhook bot', () => {
  it('stops accepting, then waits for the updates in flight', async () => {
    const world = await startKitWorld('webhook-drain');
    try {
      const { bot, logger } = buildTestBot(world);
      const handle = await startBot(bot, {
        mode: 'webhook',
        url: (port) => `http://127.0.0.1:${port}/hook`,
        secretToken: SECRET,
        port: 0,
        host: '127.0.0.1',
        logger,
      });
      const bob = await world.emulator.client.createUser({ firstName: 'Bob', languageCode: 'en' });
      await world.emulator.client.sendCommand({ from: bob.id, bot: TOKEN, command: 'slow' });
      // The handler is now sleeping 400 ms; stop must not return before its reply is sent.
      await new Promise((r) => setTimeout(r, 100));
      await handle.stop();
      const messages = await world.emulator.client.getMessages({ chatId: bob.id, bot: TOKEN });
      expect(messages.map((m) => m.text)).toEqual(['slow done']);
      await expect(fetch(`http://127.0.0.1:${handle.port}/hook`, { method: 'POST' })).rejects.toThrow();
    } finally {
      await world.close();
    }
  });
});
