import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '@vpn/i18n';
import type { SentMessage, TgInlineButton, TgUser } from '@vpn/telegram-emulator';
import { layoutWidth, screenshot, WIDTHS } from './platform/testing/browser.js';
import { startSandboxHarness, type SandboxHarness } from './platform/testing/sandbox-harness.js';

const ports = { telegramPort: 18860, panelPort: 18861, yookassaPort: 18862, webhooksPort: 18863 };
const t = createI18n().forLanguage('en');
const buttons = (m: SentMessage): Array<TgInlineButton & { url?: string }> => (m.replyMarkup?.inline_keyboard ?? []).flat();

// The pages a customer opens from the bot, checked in a real browser at phone and desktop widths.
describe('the pages the customer opens, in chromium', () => {
  let sandbox: SandboxHarness;
  let user: TgUser;
  const tg = () => sandbox.world.telegram.client;
  const bot = () => sandbox.world.clientBotToken;
  const press = (text: string) => tg().pressButton({ from: user.id, bot: bot(), text });
  /** The newest bot message (sent or edited into this state) with a button matching `match`. */
  async function buttonUntil(match: (b: { text: string; url?: string }) => boolean): Promise<{ text: string; url?: string }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = (await tg().getMessages({ chatId: user.id, bot: bot() })).reverse().flatMap(buttons).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('no such button arrived');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  beforeAll(async () => {
    sandbox = await startSandboxHarness('pages', ports);
    user = await tg().createUser({ firstName: 'Phone', languageCode: 'en' });
    await tg().start({ from: user.id, bot: bot() });
    await buttonUntil((b) => b.text === t('client.menu.trial'));
    await press(t('client.menu.trial'));
    await buttonUntil((b) => b.text === t('notifications.config.openConfig'));
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('YooKassa emulator: Pay and Decline while pending; afterwards the outcome and the way back to the bot, no buttons', async () => {
    await tg().sendCommand({ from: user.id, bot: bot(), command: 'buy' });
    await press((await buttonUntil((b) => b.text.startsWith('1 month'))).text);
    await press((await buttonUntil((b) => b.text === t('client.checkout.methods.yookassa'))).text);
    const checkout = (await buttonUntil((b) => b.url?.includes('/checkout/') === true)).url!;

    const before = await (await fetch(checkout)).text();
    expect(before).toContain('id="pay"');
    expect(before).toContain('id="decline"');
    for (const [name, size] of Object.entries(WIDTHS)) {
      await screenshot(before, `yookassa-pending-${name}`, size);
      expect(await layoutWidth(before, size)).toBeLessThanOrEqual(size.width);
    }

    expect((await fetch(`${checkout}?action=pay`)).status).toBe(200);
    const after = await (await fetch(checkout)).text();
    expect(after).not.toContain('id="pay"');
    expect(after).not.toContain('id="decline"');
    expect(after).toContain('Payment succeeded');
    expect(/id="back" href="([^"]+)"/.exec(after)?.[1]).toBe('https://t.me/vpn_sandbox_bot');
    // Paying again (a reload of ?action=pay) changes nothing.
    expect(await (await fetch(`${checkout}?action=pay`)).text()).not.toContain('id="pay"');
    for (const [name, size] of Object.entries(WIDTHS)) {
      await screenshot(after, `yookassa-paid-${name}`, size);
      expect(await layoutWidth(after, size)).toBeLessThanOrEqual(size.width);
    }
  });

  it('"add to app" page: the link field fits a phone-width screen', async () => {
    await tg().sendCommand({ from: user.id, bot: bot(), command: 'config' });
    await press((await buttonUntil((b) => b.text === t('client.guides.platforms.android'))).text);
    const add = (await buttonUntil((b) => b.text === t('client.guides.addTo', { app: 'Happ' }))).url!;
    const html = await (await fetch(add)).text();
    expect(html).toContain('id="link"');
    for (const [name, size] of Object.entries(WIDTHS)) {
      await screenshot(html, `add-to-app-${name}`, size);
      expect(await layoutWidth(html, size)).toBeLessThanOrEqual(size.width);
    }
  });
});
