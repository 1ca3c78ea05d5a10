import { InputFile } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../api/api-defaults.js';
import { TOKEN, startKitWorld, type KitWorld } from '../test/harness.js';
import { captureLogs } from '../testing/index.js';
import { handleTelegramError } from './error-policy.js';

const SUB = 'https://panel.example.com/sub/dXNlcjQyLXNlY3JldC10b2tlbg';
const SHARE = 'vless://6f1c0e5a-1111-4222-8333-944455556666@203.0.113.9:443?security=reality&pbk=PUBKEY#vpn';
const WG_KEY = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const WG = `[Interface]\nPrivateKey = ${WG_KEY}\nAddress = 10.8.0.2/24\n`;
const GO = 'http://localhost:8080/go/U0VBTEVELWdvLXRva2VuLWZvci1zdWI';

/**
 * Each kind of config the bots and the worker send, in a call Telegram refuses: what the error
 * policy logs must not grant access to anything (grammY's error keeps the request in `payload`).
 */
describe('a failed send of a config logs no access credential', () => {
  let world: KitWorld;
  let chat: number;
  beforeAll(async () => {
    world = await startKitWorld('secret-free-errors');
    const user = await world.emulator.client.createUser({ firstName: 'Sec', languageCode: 'en' });
    await world.emulator.client.start({ from: user.id, bot: TOKEN });
    chat = user.id;
  });
  afterAll(async () => {
    await world.close();
  });

  it.each([
    [
      'a subscription link with a copy button',
      (api: ReturnType<typeof createApi>) =>
        api.sendMessage(chat, `Your link: <code>${SUB}</code>`, {
          reply_markup: { inline_keyboard: [[{ text: 'Copy', copy_text: { text: SUB } }]] },
        }),
    ],
    [
      'the link as a QR photo with a caption',
      (api: ReturnType<typeof createApi>) =>
        api.sendPhoto(chat, new InputFile(Buffer.from('png'), 'qr.png'), { caption: `Scan or open ${SUB}` }),
    ],
    ['share links', (api: ReturnType<typeof createApi>) => api.sendMessage(chat, `Keys:\n${SHARE}`)],
    [
      'a WireGuard config',
      (api: ReturnType<typeof createApi>) =>
        api.sendDocument(chat, new InputFile(Buffer.from(WG), 'vpn.conf'), { caption: `<pre>${WG}</pre>` }),
    ],
    [
      'an "add to app" /go button Telegram refuses',
      (api: ReturnType<typeof createApi>) =>
        api.sendMessage(chat, 'Add', {
          reply_markup: { inline_keyboard: [[{ text: 'Add', url: GO.replace('localhost:8080', 'vpn.example.com') }]] },
        }),
    ],
  ])('%s', async (_kind, send) => {
    const { logger, lines } = captureLogs();
    const api = createApi(TOKEN, { apiRoot: world.emulator.apiRoot, logger, networkRetries: 0 });
    await world.emulator.client.injectFault({
      method: '*',
      bot: TOKEN,
      error: { code: 400, description: `Bad Request: inline keyboard button URL '${GO}' is invalid: Wrong HTTP URL` },
    });
    const err = await send(api).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    await handleTelegramError(err, { logger });
    const out = JSON.stringify(lines);
    expect(lines.some((l) => l.level >= 50)).toBe(true);
    for (const secret of ['dXNlcjQyLXNlY3JldC10b2tlbg', '6f1c0e5a-1111', WG_KEY, 'U0VBTEVELWdvLXRva2VuLWZvci1zdWI']) {
      expect(out).not.toContain(secret);
    }
  });
});
