import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '../testing/buttons.js';
import { startPlatformWorld, type PlatformWorld } from '../testing/platform-world.js';

const DAY = 86_400_000;

describe('the client bot as a process, with the webhooks service and the worker', () => {
  let p: PlatformWorld;
  beforeAll(async () => {
    p = await startPlatformWorld('journeys');
    await p.db.repos.promoCodes.create({ code: 'SPRING', kind: 'percent', value: 20 });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('ru: an invited customer takes the trial, gets the link and the QR, buys with a promo code in Stars; the referrer gets the bonus', async () => {
    const ru = p.i18n.forLanguage('ru');
    const tg = p.world.telegram.client;
    const referrer = await p.newUser('ru', 'Реф');
    await tg.start({ from: referrer.id, bot: p.bot });
    await p.next(referrer);
    const code = (await p.db.repos.users.findByTelegramId(referrer.id))!.referralCode;

    const user = await p.newUser('ru');
    await tg.start({ from: user.id, bot: p.bot, payload: `ref_${code}` });
    expect((await p.next(user)).text).toContain(ru('client.start.invited', { count: 3 }));
    expect(labelsOf(await p.next(user))).toContain(ru('client.menu.trial'));

    // Trial: progress at once; the worker provisions on the panel and sends the link.
    await p.press(user, ru('client.menu.trial'));
    expect((await p.next(user)).text).toBe(ru('client.trial.preparing', { count: 3 }));
    const ready = await p.waitFor(user, (m) => m.text?.includes('/sub/') === true);
    const link = /https?:\/\/\S+\/sub\/\S+/.exec(ready.text!)![0];
    await tg.sendCommand({ from: user.id, bot: p.bot, command: 'config' });
    const config = await p.next(user);
    expect(config.text).toContain(link);
    await p.press(user, ru('client.config.qr'));
    const qr = await p.next(user);
    expect(qr.photoFileId).toBeDefined();

    // The "add to app" button opens the webhooks service's page for that app.
    await p.press(user, ru('client.guides.platforms.android'));
    const guide = await p.nextEdit(user);
    const add = guide.replyMarkup!.inline_keyboard.flat().find((b) => b.text === ru('client.guides.addTo', { app: 'Happ' }))!;
    const page = await fetch(add.url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`happ://add/${link}`);

    // Buy one month with a promo code, paid in Stars: forwarded to the webhooks service, settled by the worker.
    const customer = (await p.db.repos.users.findByTelegramId(user.id))!;
    const trialEnd = (await p.db.repos.subscriptions.getCurrentForUser(customer.id))!.endsAt!;
    await tg.sendCommand({ from: user.id, bot: p.bot, command: 'buy' });
    const plans = await p.next(user);
    await p.press(user, labelsOf(plans).find((l) => l.startsWith('1 месяц'))!);
    await p.nextEdit(user);
    await p.press(user, ru('client.checkout.enterPromo'));
    await p.next(user);
    await tg.sendText({ from: user.id, bot: p.bot, text: 'spring' });
    await p.next(user);
    expect((await p.next(user)).text).toContain('120 ⭐');
    await p.press(user, ru('client.checkout.methods.stars'));
    await p.next(user);
    expect((await tg.payInvoice({ from: user.id, bot: p.bot })).status).toBe('paid');
    expect((await p.next(user)).text).toBe(ru('client.payment.received'));
    // The receipt from the worker, then the subscription: trial end + 30 days + 3 for being invited.
    await p.waitFor(user, (m) => m.text?.startsWith('✅ Оплата 120 ⭐') === true);
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
    await p.press(user, labelsOf(plans).find((l) => l.startsWith('1 month'))!);
    await p.nextEdit(user);
    await p.press(user, en('client.checkout.methods.yookassa'));
    const invoice = await p.next(user);
    expect(invoice.text).toContain('₽199');
    const customer = (await p.db.repos.users.findByTelegramId(user.id))!;
    const [payment] = await p.db.repos.payments.listByUser(customer.id);
    p.world.yookassa.pay(payment!.externalId!);
    await p.waitFor(user, (m) => m.text?.startsWith('✅ Payment of 199.00 ₽ received') === true);
    const sub = (await p.db.repos.subscriptions.getCurrentForUser(customer.id))!;
    expect(sub.status).toBe('active');
    expect(Math.round((sub.endsAt!.getTime() - Date.now()) / DAY)).toBe(30);
    // "Check payment" on the paid invoice now says so.
    await p.press(user, en('client.payment.check'));
    expect((await p.nextEdit(user)).text).toContain(en('client.payment.paid', { date: '' }).slice(0, 20));
  });

  it('answers garbage, forged buttons and a flood without falling over', async () => {
    const ru = p.i18n.forLanguage('ru');
    const tg = p.world.telegram.client;
    const user = await p.newUser('ru');
    await tg.start({ from: user.id, bot: p.bot });
    await p.next(user);
    await p.next(user);
    await tg.sendText({ from: user.id, bot: p.bot, text: `${'<i>&'.repeat(1_000)}` });
    expect((await p.next(user)).text).toBe(ru('client.fallback.text'));
    // Flood: 40 updates at once; the default limit is 30 per 10 s, so the 31st gets "too fast" once.
    await Promise.all(Array.from({ length: 40 }, (_, i) => tg.sendText({ from: user.id, bot: p.bot, text: `flood ${i}` })));
    await p.waitFor(user, (m) => m.text === ru('common.rateLimit.tooFast'));
    // Still serving, and the bot process is alive.
    const other = await p.newUser('en');
    await tg.start({ from: other.id, bot: p.bot });
    expect((await p.next(other)).text).toContain('Hello');
    expect(p.platform.services.get('client-bot')?.child.exitCode).toBeNull();
  });
});
