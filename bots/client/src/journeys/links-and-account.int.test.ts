import { makeSubscription, makeUser } from '@vpn/db/testing';
import type { Language } from '@vpn/i18n';
import { NOTIFICATION_CALLBACKS } from '@vpn/queues';
import type { TgUser } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '../testing/buttons.js';
import { startClientWorld, TEST_BOT_TOKEN, type ClientWorld } from '../testing/client-world.js';

/** What Telegram shows of an HTML text. */
const plain = (html: string) => html.replace(/<[^>]+>/g, '');

describe('deep links, referral counts, auto-renew and the worker buttons', () => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld('links');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  const row = async (user: TgUser) => (await w.db.repos.users.findByTelegramId(user.id))!;
  /** /start (optionally with a payload) and the messages it answers with, last one the main menu. */
  async function start(user: TgUser, payload?: string, messages = 2) {
    await w.tg.start({ from: user.id, bot: TEST_BOT_TOKEN, ...(payload ? { payload } : {}) });
    const out = [];
    for (let i = 0; i < messages; i++) out.push(await w.next(user));
    return out;
  }

  it('a promo link records the source and keeps the code for the checkout; a campaign link records its tag', async () => {
    const t = w.i18n.forLanguage('ru');
    const promo = await w.newUser('ru');
    const [welcome] = await start(promo, 'promo_spring');
    expect(welcome?.text).toContain(plain(t('client.start.promoSaved', { code: 'SPRING' })));
    expect(await row(promo)).toMatchObject({ source: 'promo', referrerId: null });
    // The code is applied at the next checkout, as the admin bot's link promises (`promoDeepLink`).
    await w.db.repos.promoCodes.create({ code: 'SPRING', kind: 'percent', value: 20 });
    await w.tg.sendCommand({ from: promo.id, bot: TEST_BOT_TOKEN, command: 'buy' });
    const plans = await w.next(promo);
    expect(plans.text).toContain(plain(t('client.buy.promoWaiting', { code: 'SPRING' })));
    await w.press(
      promo,
      labelsOf(plans).find((l) => l.startsWith('1 месяц'))!,
    );
    const checkout = (await w.nextEdit(promo)).text ?? '';
    expect(checkout).toMatch(/SPRING: −39,80\s₽/);
    expect(checkout).toMatch(/159,20\s₽/);

    const campaign = await w.newUser('en');
    await start(campaign, 'c_Autumn-TG');
    expect((await row(campaign)).source).toBe('autumn-tg');
    // A returning customer keeps the source they came with.
    await start(campaign, 'c_other', 1);
    expect((await row(campaign)).source).toBe('autumn-tg');
  });

  it.each<Language>(['ru', 'en'])('%s: a referral link is ignored for a returning customer and for their own code', async (lng) => {
    const t = w.i18n.forLanguage(lng);
    const referrer = await w.newUser(lng);
    await start(referrer);
    const returning = await w.newUser(lng);
    await start(returning);
    const [note] = await start(returning, `ref_${(await row(referrer)).referralCode}`);
    expect(note?.text).toBe(plain(t('client.start.referralIgnored')));
    expect((await row(returning)).referrerId).toBeNull();

    const [self] = await start(referrer, `ref_${(await row(referrer)).referralCode}`);
    expect(self?.text).toBe(plain(t('client.start.referralIgnored')));
    expect((await row(referrer)).referrerId).toBeNull();
    expect(await w.db.repos.users.countReferrals((await row(referrer)).id)).toBe(0);
  });

  it('the referral screen counts invited and paying friends and the days earned', async () => {
    const t = w.i18n.forLanguage('en');
    const referrer = await w.newUser('en');
    await start(referrer);
    const me = await row(referrer);
    const friends = await Promise.all([1, 2, 3].map(() => makeUser(w.db.repos, { referrerId: me.id, source: 'referral' })));
    await w.db.repos.referralRewards.insertOnce({ referrerId: me.id, refereeId: friends[0]!.id, referrerDays: 7, refereeDays: 3 });
    await w.db.repos.referralRewards.insertOnce({ referrerId: me.id, refereeId: friends[1]!.id, referrerDays: 7, refereeDays: 3 });
    await w.tg.sendCommand({ from: referrer.id, bot: TEST_BOT_TOKEN, command: 'referral' });
    const screen = (await w.next(referrer)).text ?? '';
    expect(screen).toContain(t('client.referral.invited', { count: 3 }));
    expect(screen).toContain(t('client.referral.paid', { count: 2 }));
    expect(screen).toContain(t('client.referral.earned', { count: 14 }));
    expect(screen).toContain(`https://t.me/${w.botInfo.username}?start=ref_${me.referralCode}`);
  });

  it('auto-renew: on with a saved method, off again, and "pay by card first" when the method is gone at the press', async () => {
    const t = w.i18n.forLanguage('en');
    const user = await w.newUser('en');
    await start(user);
    const sub = await makeSubscription(w.db.repos, {
      userId: (await row(user)).id,
      planId: (await w.db.repos.plans.listActive())[0]!.id,
      savedPaymentMethodId: 'pm-card-1',
    });
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'subscription' });
    expect((await w.next(user)).text).toContain(t('client.subscription.autoRenewOff'));

    const on = await w.press(user, t('client.subscription.turnAutoRenewOn'));
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: on })).text).toBe(t('client.subscription.autoRenewTurnedOn'));
    expect((await w.nextEdit(user)).text).toContain(t('client.subscription.autoRenewOn'));
    expect((await w.db.repos.subscriptions.get(sub.id))?.autoRenew).toBe(true);
    const off = await w.press(user, t('client.subscription.turnAutoRenewOff'));
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: off })).text).toBe(t('client.subscription.autoRenewTurnedOff'));
    expect(labelsOf(await w.nextEdit(user))).toContain(t('client.subscription.turnAutoRenewOn'));

    // The card is removed while the press is on its way: the subscription row is held, the
    // method cleared, then the bot's toggle gets the row and billing says NO_SAVED_METHOD.
    const tx = await w.db.sequelize.transaction();
    await w.db.sequelize.query('SELECT id FROM subscriptions WHERE id = $1 FOR UPDATE', { bind: [sub.id], transaction: tx });
    const pressed = await w.press(user, t('client.subscription.turnAutoRenewOn'));
    await new Promise((r) => setTimeout(r, 400));
    await w.db.sequelize.query('UPDATE subscriptions SET saved_payment_method_id = NULL WHERE id = $1', {
      bind: [sub.id],
      transaction: tx,
    });
    await tx.commit();
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: pressed })).text).toBe(t('client.subscription.autoRenewNeedsCard'));
    const after = await w.nextEdit(user);
    expect(after.text).toContain(t('client.subscription.autoRenewOff'));
    expect(labelsOf(after)).not.toContain(t('client.subscription.turnAutoRenewOn'));
    expect((await w.db.repos.subscriptions.get(sub.id))?.autoRenew).toBe(false);
  });

  it('the "guides and QR" button under a worker notification opens the config screen as a new message', async () => {
    const t = w.i18n.forLanguage('ru');
    const user = await w.newUser('ru');
    await start(user);
    const sub = await w.billing.trial.startTrial((await row(user)).id);
    await w.provision(sub.id, 'https://panel.example.test/sub/notified');
    w.pressForged(user, NOTIFICATION_CALLBACKS.openConfig);
    const config = await w.next(user);
    expect(config.text).toContain('https://panel.example.test/sub/notified');
    expect(labelsOf(config)).toEqual(expect.arrayContaining([t('client.config.qr'), t('client.config.reissue')]));
  });
});
