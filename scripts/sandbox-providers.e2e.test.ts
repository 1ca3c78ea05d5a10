import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '@vpn/i18n';
import type { SentMessage, TgInlineButton, TgUser } from '@vpn/telegram-emulator';
import { startSandboxHarness, type SandboxHarness } from './platform/testing/sandbox-harness.js';

const ports = {
  telegramPort: 18870,
  panelPort: 18871,
  yookassaPort: 18872,
  webhooksPort: 18873,
  cryptopayPort: 18874,
  wataPort: 18875,
  heleketPort: 18876,
  plategaPort: 18877,
  xrocketPort: 18878,
  severpayPort: 18879,
};
const t = createI18n().forLanguage('en');
const buttons = (m: SentMessage): Array<TgInlineButton & { url?: string }> => (m.replyMarkup?.inline_keyboard ?? []).flat();

// `npm start -- --providers yookassa,cryptopay,wata,stars,heleket,platega,xrocket,severpay`: every provider the project supports is
// offered, each paid on its emulator's page, each settled through the webhooks service.
describe('the sandbox with every payment provider', () => {
  let sandbox: SandboxHarness;
  const tg = () => sandbox.world.telegram.client;
  const bot = () => sandbox.world.clientBotToken;
  async function buttonUntil(user: TgUser, match: (b: { text: string; url?: string }) => boolean) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = (await tg().getMessages({ chatId: user.id, bot: bot() })).reverse().flatMap(buttons).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('no such button arrived');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async function textUntil(user: TgUser, match: (text: string) => boolean) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = (await tg().getMessages({ chatId: user.id, bot: bot() })).map((m) => m.text ?? '').find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('no such message arrived');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  beforeAll(async () => {
    sandbox = await startSandboxHarness('providers', ports, {
      providers: ['yookassa', 'cryptopay', 'wata', 'stars', 'heleket', 'platega', 'xrocket', 'severpay'],
    });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it.each([
    ['cryptopay', '/invoice/'],
    ['wata', '/pay/'],
    ['yookassa', '/checkout/'],
    ['heleket', '/pay/'],
    ['platega', '/pay/'],
    ['xrocket', '/pay/'],
    ['severpay', '/pay/'],
  ] as const)('%s: offered at checkout, paid on its emulator page, settled', async (provider, path) => {
    const user = await tg().createUser({ firstName: provider, languageCode: 'en' });
    await tg().start({ from: user.id, bot: bot() });
    await tg().sendCommand({ from: user.id, bot: bot(), command: 'buy' });
    const plan = await buttonUntil(user, (b) => b.text.startsWith('1 month'));
    await tg().pressButton({ from: user.id, bot: bot(), text: plan.text });
    const methods = [
      t('client.checkout.methods.yookassa'),
      t('client.checkout.methods.cryptopay'),
      t('client.checkout.methods.wata'),
      t('client.checkout.methods.stars'),
      t('client.checkout.methods.heleket'),
      t('client.checkout.methods.platega'),
      t('client.checkout.methods.xrocket'),
      t('client.checkout.methods.severpay'),
    ];
    for (const method of methods) await buttonUntil(user, (b) => b.text === method);
    await tg().pressButton({ from: user.id, bot: bot(), text: t(`client.checkout.methods.${provider}`) });
    const page = (await buttonUntil(user, (b) => b.url?.includes(path) === true)).url!;
    expect((await fetch(`${page}${page.includes('?') ? '&' : '?'}action=pay`)).status).toBe(200);
    await textUntil(user, (text) => text.startsWith('✅ Payment of'));
  });
});
