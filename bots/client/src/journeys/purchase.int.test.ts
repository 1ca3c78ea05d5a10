import { makeUser } from '@vpn/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonOf, labelsOf } from '../testing/buttons.js';
import { startClientWorld, type ClientWorld } from '../testing/client-world.js';

const DAY = 86_400_000;

describe('buying: referral link, promo codes, Stars and a payment link', () => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld('purchase');
    const past = new Date(Date.now() - DAY);
    const m12 = await w.db.repos.plans.findByCode('m12');
    await w.db.repos.promoCodes.create({ code: 'SPRING', kind: 'percent', value: 20 });
    // The friend's first payment is the 1-month plan with SPRING (120 ⭐): the operator lets a
    // promo-discounted first payment earn the referral bonus (the default is the cheapest plan, 150 ⭐).
    await w.db.repos.settings.set('referral.minFirstPaymentStars', 120);
    await w.db.repos.promoCodes.create({ code: 'OLD', kind: 'percent', value: 50, validUntil: past });
    await w.db.repos.promoCodes.create({ code: 'YEARLY', kind: 'percent', value: 30, planIds: [m12!.id] });
    const gone = await w.db.repos.promoCodes.create({ code: 'GONE', kind: 'days', value: 5, maxUses: 1 });
    await w.db.repos.promoCodes.redeem({ promoCodeId: gone.id, userId: (await makeUser(w.db.repos)).id });
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l).slice(0, 1500))).toEqual([]);
    await w.close();
  });

  it('an invited friend pays with Stars and a promo code; the subscription and the referrer are extended', async () => {
    const ru = w.i18n.forLanguage('ru');
    const en = w.i18n.forLanguage('en');
    const referrer = await w.newUser('ru', 'Ref');
    await w.tg.start({ from: referrer.id, bot: w.botInfo.id });
    await w.next(referrer);
    await w.next(referrer);
    await w.press(referrer, ru('client.menu.referral'));
    const code = (await w.db.repos.users.findByTelegramId(referrer.id))!.referralCode;
    expect((await w.nextEdit(referrer)).text).toContain(`https://t.me/${w.botInfo.username}?start=ref_${code}`);

    const friend = await w.newUser('en', 'Friend');
    await w.tg.start({ from: friend.id, bot: w.botInfo.id, payload: `ref_${code}` });
    expect((await w.next(friend)).text).toContain(en('client.start.invited', { count: 3 }));
    await w.next(friend);
    const friendRow = await w.db.repos.users.findByTelegramId(friend.id);
    const referrerRow = await w.db.repos.users.findByTelegramId(referrer.id);
    expect(friendRow?.referrerId).toBe(referrerRow?.id);

    // Plans, then the one-month checkout.
    await w.tg.sendCommand({ from: friend.id, bot: w.botInfo.id, command: 'buy' });
    const plans = await w.next(friend);
    expect(plans.text).toContain('1 month');
    // The 12-month plan: 1 799 ₽ / 1 370 ⭐ is what is paid; 12 monthly prices struck through; the saving derived.
    expect(plans.text).toContain('12 months — ₽2,388 / 1800 ⭐ ₽1,799 / 1370 ⭐ (save 25%)');
    await w.press(
      friend,
      labelsOf(plans).find((l) => l.startsWith('1 month'))!,
    );
    expect((await w.nextEdit(friend)).text).toContain(en('client.checkout.chooseMethod'));

    // Every refusal has its own answer; then a good code (any case) is applied.
    await w.press(friend, en('client.checkout.enterPromo'));
    expect((await w.next(friend)).text).toBe(en('client.promo.ask'));
    for (const [typed, reason] of [
      ['NOPE', 'unknown'],
      ['<b>bad</b>', 'unknown'],
      ['OLD', 'expired'],
      ['GONE', 'used_up'],
      ['YEARLY', 'not_for_plan'],
    ] as const) {
      await w.tg.sendText({ from: friend.id, bot: w.botInfo.id, text: typed });
      expect((await w.next(friend)).text).toBe(`${en(`client.promo.${reason}`)}\n\n${en('client.promo.tryAgain')}`);
    }
    await w.tg.sendText({ from: friend.id, bot: w.botInfo.id, text: 'spring' });
    expect((await w.next(friend)).text).toBe(en('client.promo.applied', { code: 'SPRING' }).replace(/<\/?code>/g, ''));
    const checkout = await w.next(friend);
    expect(checkout.text).toContain('SPRING: −₽39.80');
    expect(checkout.text).toContain('₽159.20');
    expect(checkout.text).toContain('120 ⭐');

    // Stars: the invoice, Telegram's pre-checkout (answered by the bot), the payment, the forward.
    await w.press(friend, en('client.checkout.methods.stars'));
    const invoice = await w.next(friend);
    expect(invoice.message.invoice).toMatchObject({ currency: 'XTR', total_amount: 120 });
    const paid = await w.tg.payInvoice({ from: friend.id, bot: w.botInfo.id });
    expect(paid.status).toBe('paid');
    expect((await w.next(friend)).text).toBe(`${en('client.payment.received')}\n\n${en('client.payment.linkFollows')}`);
    expect(w.forwarded).toHaveLength(1);

    const sub = await w.db.repos.subscriptions.getCurrentForUser(friendRow!.id);
    // 30 days of the plan + 3 days for being invited.
    expect(sub?.status).toBe('active');
    expect(Math.round((sub!.endsAt!.getTime() - Date.now()) / DAY)).toBe(33);
    const [payment] = await w.db.repos.payments.listByUser(friendRow!.id);
    expect(payment).toMatchObject({ status: 'succeeded', provider: 'stars', currency: 'XTR' });
    expect(Number(payment!.amountMinor)).toBe(120);
    // The referrer's bonus: 7 days.
    const bonus = await w.db.repos.subscriptions.getCurrentForUser(referrerRow!.id);
    expect(Math.round((bonus!.endsAt!.getTime() - Date.now()) / DAY)).toBe(7);
    expect(await w.db.repos.referralRewards.summary(referrerRow!.id)).toEqual({ rewards: 1, days: 7 });

    // The same invoice cannot be paid twice: Telegram asks, the bot refuses.
    const again = await w.tg.payInvoice({ from: friend.id, bot: w.botInfo.id });
    expect(again).toMatchObject({ status: 'declined', errorMessage: en('client.payment.precheckout.not_pending') });

    // "My subscription" shows the new end.
    await w.tg.sendCommand({ from: friend.id, bot: w.botInfo.id, command: 'subscription' });
    expect((await w.next(friend)).text).toContain(en('client.subscription.plan', { plan: '1 month' }));
  });

  it('the last use of a promo code: the customer who checks out first pays the discounted price, the next is told it is used up', async () => {
    const en = w.i18n.forLanguage('en');
    await w.db.repos.promoCodes.create({ code: 'LASTONE', kind: 'percent', value: 50, maxUses: 1 });
    const checkoutWithCode = async (name: string) => {
      const user = await w.newUser('en', name);
      await w.tg.start({ from: user.id, bot: w.botInfo.id });
      await w.next(user);
      await w.next(user);
      await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'buy' });
      await w.press(
        user,
        labelsOf(await w.next(user)).find((l) => l.startsWith('1 month'))!,
      );
      await w.nextEdit(user);
      await w.press(user, en('client.checkout.enterPromo'));
      await w.next(user);
      await w.tg.sendText({ from: user.id, bot: w.botInfo.id, text: 'lastone' });
      expect((await w.next(user)).text).toBe(en('client.promo.applied', { code: 'LASTONE' }).replace(/<\/?code>/g, ''));
      await w.next(user);
      return user;
    };
    const first = await checkoutWithCode('First');
    const second = await checkoutWithCode('Second');
    await w.press(first, en('client.checkout.methods.yookassa'));
    expect((await w.next(first)).text).toContain('₽99.50');
    // The first customer's checkout holds the use: the second is told at once, before paying anything.
    await w.press(second, en('client.checkout.methods.yookassa'));
    expect((await w.next(second)).text).toBe(en('client.promo.used_up'));
    const secondRow = await w.db.repos.users.findByTelegramId(second.id);
    expect(await w.db.repos.payments.listByUser(secondRow!.id)).toEqual([]);
  });

  it('a payment link can be checked (the worker is asked to poll) and cancelled', async () => {
    const ru = w.i18n.forLanguage('ru');
    const user = await w.newUser('ru', 'Card');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    await w.press(user, ru('client.menu.buy'));
    const plans = await w.nextEdit(user);
    // The plan list: the price paid, the monthly price over the same days struck through, the saving derived.
    expect(plans.text).toMatch(/3 месяца — 597\s₽ \/ 450 ⭐ 549\s₽ \/ 420 ⭐ \(выгода 8%\)/);
    expect(plans.text).toMatch(/12 месяцев — 2\s388\s₽ \/ 1800 ⭐ 1\s799\s₽ \/ 1370 ⭐ \(выгода 25%\)/);
    await w.press(
      user,
      labelsOf(plans).find((l) => l.startsWith('3 месяца'))!,
    );
    const checkout = await w.nextEdit(user);
    expect(checkout.text).toMatch(/Цена: 549\s₽\n.+: 48\s₽ \(8%\)\n.+: 549\s₽/);
    await w.press(user, ru('client.checkout.methods.yookassa'));
    const link = await w.next(user);
    // The three-month plan's own price: its 8 % saving is in it, never taken off again; whole roubles, no kopecks.
    expect(link.text).toMatch(/549\s₽/);
    expect(link.text).not.toMatch(/505|549,00/);
    const pay = buttonOf(link, labelsOf(link)[0]!);
    expect(pay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    const customer = await w.db.repos.users.findByTelegramId(user.id);
    const [payment] = await w.db.repos.payments.listByUser(customer!.id);
    expect(payment).toMatchObject({ status: 'pending', provider: 'yookassa', confirmationUrl: pay.url });
    expect(payment?.externalId).toBeTruthy();

    const check = await w.press(user, ru('client.payment.check'));
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: check })).text).toBe(ru('client.payment.stillPending'));
    const polls = await w.queues.queue({ name: 'payment-poll' } as never).getJobs(['waiting', 'delayed']);
    expect(polls.map((j) => j.data)).toContainEqual({ scope: 'payment', paymentId: payment!.id });

    // The unpaid invoice is offered again from the plans screen.
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'buy' });
    expect(labelsOf(await w.next(user))).toContain(ru('client.buy.pending'));

    await w.press(user, ru('client.payment.cancel'));
    expect((await w.nextEdit(user)).text).toBe(ru('client.payment.cancelledNow'));
    expect((await w.db.repos.payments.get(payment!.id))?.status).toBe('cancelled');
    // A second press on the same (now edited) message is gone; the old data says "already cancelled".
    w.pressForged(user, `px:${payment!.id}`);
    expect((await w.nextEdit(user)).text).toBe(ru('client.payment.cancelled'));
  });

  it('offers the payment methods the operator chose in settings, in their order', async () => {
    const ru = w.i18n.forLanguage('ru');
    const methods = (labels: string[]) =>
      labels.filter((l) => l === ru('client.checkout.methods.yookassa') || l === ru('client.checkout.methods.stars'));
    const openCheckout = async () => {
      const user = await w.newUser('ru', 'Methods');
      await w.tg.start({ from: user.id, bot: w.botInfo.id });
      await w.next(user);
      await w.next(user);
      await w.press(user, ru('client.menu.buy'));
      await w.press(
        user,
        labelsOf(await w.nextEdit(user)).find((l) => l.startsWith('3 месяца'))!,
      );
      return labelsOf(await w.nextEdit(user));
    };
    // Unset: every configured provider, in configuration order.
    expect(methods(await openCheckout())).toEqual([ru('client.checkout.methods.yookassa'), ru('client.checkout.methods.stars')]);
    await w.db.repos.settings.set('payments.methods', ['stars', 'yookassa']);
    expect(methods(await openCheckout())).toEqual([ru('client.checkout.methods.stars'), ru('client.checkout.methods.yookassa')]);
    // A method paused by the operator is not offered; a name that is not configured is skipped.
    await w.db.repos.settings.set('payments.methods', ['cryptopay', 'yookassa']);
    expect(methods(await openCheckout())).toEqual([ru('client.checkout.methods.yookassa')]);
    await w.db.repos.settings.set('payments.methods', null);
  });

  it('a second invoice of a payment whose first invoice was paid (still settling) is refused at pre-checkout and recorded', async () => {
    const en = w.i18n.forLanguage('en');
    const user = await w.newUser('en', 'Twice');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'buy' });
    const plans = await w.next(user);
    await w.press(
      user,
      labelsOf(plans).find((l) => l.startsWith('1 month'))!,
    );
    await w.nextEdit(user);
    await w.press(user, en('client.checkout.methods.stars'));
    expect((await w.next(user)).message.invoice).toBeDefined();
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    const [payload] = await w.db.repos.payments.listByUser(customer!.id);
    expect(payload?.status).toBe('pending');
    // The first invoice's charge is stored by the webhooks service; settlement has not run yet.
    await w.db.repos.paymentEvents.insertOnce({
      provider: 'stars',
      providerEventId: 'charge-first',
      kind: 'payment.succeeded',
      rawPayload: { notification: {}, raw: {} },
      paymentId: payload!.id,
    });
    const again = await w.tg.payInvoice({ from: user.id, bot: w.botInfo.id });
    expect(again).toMatchObject({ status: 'declined', errorMessage: en('client.payment.precheckout.already_charged') });
    // Written just after the answer (Telegram's 10 s come first).
    const audited = async () => (await w.db.repos.auditLog.list({ entity: 'payment', entityId: payload!.id })).map((a) => a.action);
    for (let i = 0; i < 100 && (await audited()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await audited()).toEqual(['payment.second_charge_refused']);
  });

  it('the checkout of another plan shows the conversion of the running one before paying', async () => {
    const user = await w.newUser('en', 'Switch');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    const customer = (await w.db.repos.users.findByTelegramId(user.id))!;
    const m1 = (await w.db.repos.plans.findByCode('m1'))!;
    const { payment } = await w.billing.ledger.createPendingPayment({
      userId: customer.id,
      planId: m1.id,
      provider: 'yookassa',
      idempotencyKey: `switch-${customer.id}`,
    });
    await w.billing.settlement.settlePayment({ paymentId: payment.id, providerStatus: 'succeeded', amountMinor: 19_900, currency: 'RUB' });
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'buy' });
    const plans = await w.next(user);
    await w.press(
      user,
      labelsOf(plans).find((l) => l.startsWith('3 months'))!,
    );
    const checkout = await w.nextEdit(user);
    // Just under 30 days left at 199 ₽ a month are worth 32.6 days at 549 ₽ for 90 days: 32.
    expect(checkout.text).toMatch(/Your plan changes: the (29|30) days left on “1 month” become 32 days of “3 months”/);
    expect(checkout.text).toContain('Total: ₽549');
  });

  it('the checkout says whether the card is saved for auto-renewal, a button changes it, and only a ticked one is saved', async () => {
    const en = w.i18n.forLanguage('en');
    const user = await w.newUser('en', 'Card');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'buy' });
    const plans = await w.next(user);
    await w.press(
      user,
      labelsOf(plans).find((l) => l.startsWith('1 month'))!,
    );
    const checkout = await w.nextEdit(user);
    expect(checkout.text).toContain(en('client.checkout.cardSaved'));
    expect(labelsOf(checkout)).toContain(en('client.checkout.saveCardOn'));
    await w.press(user, en('client.checkout.saveCardOn'));
    const unticked = await w.nextEdit(user);
    expect(unticked.text).toContain(en('client.checkout.cardNotSaved'));
    await w.press(user, en('client.checkout.methods.yookassa'));
    await w.next(user);
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    const [payment] = await w.db.repos.payments.listByUser(customer!.id);
    expect(payment?.metadata.saveCard).toBeUndefined();
    expect(w.yookassa.payment(payment!.externalId!)?.payment_method?.saved ?? false).toBe(false);
  });
});
