import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_CALLBACKS } from '@vpn/queues';
import type { SentMessage } from '@vpn/telegram-emulator';
import { buttonOf, buttonsOf, labelsOf } from '../testing/buttons.js';
import { startPlatformWorld, type PlatformWorld } from '../testing/platform-world.js';

const DAY = 86_400_000;
/** What Telegram shows of an HTML text. */
const plain = (html: string) => html.replace(/<[^>]+>/g, '');
const linkIn = (m: SentMessage) => /https?:\/\/\S+\/sub\/\S+/.exec(m.caption ?? m.text ?? '')![0];
// Marzban tokens carry whole seconds and a revoke kills those older than its second (spec §7); a
// person takes longer than that between getting the link and reissuing it.
const nextSecond = () => new Promise((r) => setTimeout(r, 1_001 - (Date.now() % 1_000)));

describe('the client bot as a process, with the webhooks service and the worker', () => {
  let p: PlatformWorld;
  beforeAll(async () => {
    p = await startPlatformWorld('journeys');
    await p.db.repos.promoCodes.create({ code: 'SPRING', kind: 'percent', value: 20 });
    // The friend's first payment is 120 ⭐ (1 month with SPRING): the operator lets a promo-discounted
    // first payment earn the referral bonus (the default minimum is the cheapest plan, 150 ⭐).
    await p.db.repos.settings.set('referral.minFirstPaymentStars', 120);
  });
  afterAll(async () => {
    await p?.close();
  });

  // The whole journey in each language: invited → trial → link and QR without a tap → the config
  // screen and the /go page → reissue (old link dead) → a promo purchase in Stars → the referrer's bonus.
  it.each(['ru', 'en'] as const)('%s: invited, trial with link and QR, reissue, promo purchase in Stars, referral bonus', async (lng) => {
    const t = p.i18n.forLanguage(lng);
    const tg = p.world.telegram.client;
    const referrer = await p.newUser(lng, 'Ref');
    await tg.start({ from: referrer.id, bot: p.bot });
    await p.next(referrer);
    const code = (await p.db.repos.users.findByTelegramId(referrer.id))!.referralCode;

    const user = await p.newUser(lng);
    await tg.start({ from: user.id, bot: p.bot, payload: `ref_${code}` });
    expect((await p.next(user)).text).toContain(plain(t('client.start.invited', { count: 3 })));
    expect(labelsOf(await p.next(user))).toContain(t('client.menu.trial'));

    // Trial: progress at once; the worker provisions and sends the link as its QR, with a copy
    // button and a button to the config screen — nothing else to press.
    await p.press(user, t('client.menu.trial'));
    expect((await p.next(user)).text).toBe(t('client.trial.preparing', { count: 3 }));
    const ready = await p.waitFor(user, (m) => m.caption?.includes('/sub/') === true);
    const link = linkIn(ready);
    expect(ready.photoFileId).toBeDefined();
    expect(buttonsOf(ready)).toEqual([
      { text: t('notifications.config.copyLink'), copy_text: { text: link } },
      { text: t('notifications.config.openConfig'), callback_data: NOTIFICATION_CALLBACKS.openConfig },
    ]);
    await p.waitFor(user, (m) => m.text?.startsWith('🎁') === true);
    await p.press(user, t('notifications.config.openConfig'));
    const config = await p.next(user);
    expect(config.text).toContain(link);
    await p.press(user, t('client.config.qr'));
    expect((await p.next(user)).photoFileId).toBeDefined();

    // "Add to app" opens the webhooks service's page; the link in the button does not show the subscription.
    await p.press(user, t('client.guides.platforms.android'));
    const guide = await p.nextEdit(user);
    const add = buttonOf(guide, t('client.guides.addTo', { app: 'Happ' })).url!;
    expect(add.startsWith(`${p.webhooksUrl}/go/`)).toBe(true);
    expect(Buffer.from(add.split('/go/')[1]!, 'base64url').toString('latin1')).not.toContain('/sub/');
    const page = await fetch(add);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`happ://add/${link}`);
    expect((await fetch(`${add.slice(0, -4)}AAAA`)).status).toBe(404);

    // Reissue after a confirmation: the worker revokes the key; the new link arrives, the old one is dead.
    await p.press(user, t('client.common.back'));
    await p.nextEdit(user);
    await p.press(user, t('client.config.reissue'));
    await p.nextEdit(user);
    await nextSecond();
    await p.press(user, t('client.config.reissueConfirm'));
    expect((await p.nextEdit(user)).text).toBe(plain(t('client.config.reissuing')));
    const reissued = await p.waitFor(user, (m) => m.caption?.includes('/sub/') === true && !m.caption.includes(link));
    const newLink = linkIn(reissued);
    expect(reissued.photoFileId).toBeDefined();
    expect((await fetch(link)).status).toBe(404);
    expect((await fetch(newLink)).status).toBe(200);

    // Buy one month with a promo code, paid in Stars: forwarded to the webhooks service, settled by the worker.
    const customer = (await p.db.repos.users.findByTelegramId(user.id))!;
    const trialEnd = (await p.db.repos.subscriptions.getCurrentForUser(customer.id))!.endsAt!;
    await tg.sendCommand({ from: user.id, bot: p.bot, command: 'buy' });
    const plans = await p.next(user);
    await p.press(
      user,
      labelsOf(plans).find((l) => l.startsWith(lng === 'ru' ? '1 месяц' : '1 month'))!,
    );
    await p.nextEdit(user);
    await p.press(user, t('client.checkout.enterPromo'));
    await p.next(user);
    await tg.sendText({ from: user.id, bot: p.bot, text: 'spring' });
    await p.next(user);
    expect((await p.next(user)).text).toContain('120 ⭐');
    await p.press(user, t('client.checkout.methods.stars'));
    await p.next(user);
    expect((await tg.payInvoice({ from: user.id, bot: p.bot })).status).toBe('paid');
    expect((await p.next(user)).text).toContain(t('client.payment.received'));
    // The receipt from the worker, then the subscription: trial end + 30 days + 3 for being invited.
    await p.waitFor(user, (m) => m.text?.startsWith(lng === 'ru' ? '✅ Оплата 120 ⭐' : '✅ Payment of 120 ⭐') === true);
    const sub = (await p.db.repos.subscriptions.getCurrentForUser(customer.id))!;
    expect(Math.round((sub.endsAt!.getTime() - trialEnd.getTime()) / DAY)).toBe(33);
    // The referrer is told about the bonus.
    await p.waitFor(referrer, (m) => m.text?.startsWith('🤝') === true);
    const referrerRow = (await p.db.repos.users.findByTelegramId(referrer.id))!;
    expect(await p.db.repos.referralRewards.summary(referrerRow.id)).toEqual({ rewards: 1, days: 7 });
  });

  it('en: a customer pays by card on the YooKassa page; the webhook settles it and the receipt arrives', async () => {
    const en = p.i18n.forLanguage('en');
    const tg = p.world.telegram.client;
    const user = await p.newUser('en', 'Kate');
    await tg.start({ from: user.id, bot: p.bot });
    await p.next(user);
    await p.next(user);
    await p.press(user, en('client.menu.buy'));
    const plans = await p.nextEdit(user);
    await p.press(
      user,
      labelsOf(plans).find((l) => l.startsWith('1 month'))!,
    );
    await p.nextEdit(user);
    await p.press(user, en('client.checkout.methods.yookassa'));
    const invoice = await p.next(user);
    expect(invoice.text).toContain('₽199');
    const customer = (await p.db.repos.users.findByTelegramId(user.id))!;
    const [payment] = await p.db.repos.payments.listByUser(customer.id);
    p.world.yookassa.pay(payment!.externalId!);
    await p.waitFor(user, (m) => m.text?.startsWith('✅ Payment of ₽199 received') === true);
    const sub = (await p.db.repos.subscriptions.getCurrentForUser(customer.id))!;
    expect(sub.status).toBe('active');
    expect(Math.round((sub.endsAt!.getTime() - Date.now()) / DAY)).toBe(30);
    // "Check payment" on the paid invoice now says so.
    await p.press(user, en('client.payment.check'));
    expect((await p.nextEdit(user)).text).toContain(en('client.payment.paid', { date: '' }).slice(0, 20));
  });

  it('tells a blocked customer politely, for messages and for buttons, and sends nothing else', async () => {
    const ru = p.i18n.forLanguage('ru');
    const tg = p.world.telegram.client;
    const user = await p.newUser('ru');
    const { user: row } = await p.db.repos.users.upsertFromTelegram({ telegramId: user.id, firstName: 'Иван', languageCode: 'ru' }, {});
    await p.db.repos.users.setBlocked(row.id, true, 'abuse');
    await tg.start({ from: user.id, bot: p.bot });
    expect((await p.next(user)).text).toBe(ru('client.start.blocked'));
    await tg.sendText({ from: user.id, bot: p.bot, text: 'почему?' });
    expect((await p.next(user)).text).toBe(ru('client.start.blocked'));
    const press = p.pressData(user, 'm/0/0//h0000');
    expect(await tg.waitForCallbackAnswer({ callbackQueryId: press })).toMatchObject({ text: ru('client.start.blocked'), showAlert: true });
    const fromBot = (await tg.getMessages({ chatId: user.id, bot: p.bot })).filter((m) => m.fromBot);
    expect(fromBot.map((m) => m.text)).toEqual([ru('client.start.blocked'), ru('client.start.blocked')]);
  });

  it('answers stale menus, forged buttons, garbage and a flood without falling over', async () => {
    const ru = p.i18n.forLanguage('ru');
    const tg = p.world.telegram.client;
    const user = await p.newUser('ru');
    await tg.start({ from: user.id, bot: p.bot });
    await p.next(user);
    await p.next(user);
    // A stale menu: the trial is taken from a newer menu, then the old menu's trial button is pressed.
    await tg.sendCommand({ from: user.id, bot: p.bot, command: 'menu' });
    await p.next(user);
    await tg.sendCommand({ from: user.id, bot: p.bot, command: 'trial' });
    await p.next(user);
    const stale = await p.press(user, ru('client.menu.trial'));
    expect((await tg.waitForCallbackAnswer({ callbackQueryId: stale })).text).toBe(ru('client.common.outdated'));
    expect(labelsOf(await p.nextEdit(user))).not.toContain(ru('client.menu.trial'));
    // Hand-made callback data: menu-shaped with impossible rows, unknown ids, oversized, payment ids of nobody.
    for (const data of [
      'm/zz/0//hxx',
      'zzz/0/0//h12',
      'm/-1/0//h1',
      'x'.repeat(64),
      '💥'.repeat(16),
      'pc:',
      'px:00000000-0000-4000-8000-000000000000',
      'n:cfg:x',
    ]) {
      const answer = await tg.waitForCallbackAnswer({ callbackQueryId: p.pressData(user, data) });
      expect(answer.answered).toBe(true);
      expect([ru('client.fallback.staleButton'), ru('client.payment.notFound')]).toContain(answer.text);
    }
    // A real menu id with a wrong fingerprint is "outdated"; the screen is shown as it is now.
    expect((await tg.waitForCallbackAnswer({ callbackQueryId: p.pressData(user, 'sub/0/0//hAAAA') })).text).toBe(
      ru('client.common.outdated'),
    );
    // Shown after the answer: wait for it, or it races the next message this test expects.
    const subscriptionTitle = ru('client.subscription.title').replace(/<[^>]+>/g, '');
    await p.waitFor(user, (m) => (m.text ?? '').startsWith(subscriptionTitle));
    await tg.sendText({ from: user.id, bot: p.bot, text: `${'<i>&'.repeat(1_000)}` });
    // The worker's trial notices go out at the chat's pace (one a second) and may still be arriving.
    await p.waitFor(user, (m) => m.text === ru('client.fallback.text'));
    // Flood: 40 updates at once. Telegram's one-a-second chat limit (the shared send limiter) now
    // paces this customer's answers, so the flood costs them time, not the others: another customer
    // is still answered at once and the process stays up.
    await Promise.all(Array.from({ length: 40 }, (_, i) => tg.sendText({ from: user.id, bot: p.bot, text: `flood ${i}` })));
    // Still serving, and the bot process is alive.
    const other = await p.newUser('en');
    await tg.start({ from: other.id, bot: p.bot });
    expect((await p.next(other)).text).toContain('Hello');
    expect(p.platform.services.get('client-bot')?.child.exitCode).toBeNull();
  });

  // Last: it ends the bot process. A second instance polling with the same token makes Telegram
  // end the first one's getUpdates with 409, and the runner gives up for good.
  it('exits non-zero when another instance takes over polling, so the supervisor restarts it', async () => {
    const service = p.platform.services.get('client-bot')!;
    const token = p.world.clientBotToken;
    const second = fetch(`${p.world.telegram.apiRoot}/bot${token}/getUpdates?timeout=3`);
    const code = await Promise.race([service.exited, new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
    expect(code).toBe(1);
    await second;
  });
});
