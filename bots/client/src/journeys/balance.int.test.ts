import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '../testing/buttons.js';
import { startClientWorld, type ClientWorld } from '../testing/client-world.js';

describe('balance: the screen and a top-up through a payment provider', () => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld('balance');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l).slice(0, 1500))).toEqual([]);
    await w.close();
  });

  it('a preset top-up with YooKassa reaches the balance once the provider reports it paid (en)', async () => {
    const en = w.i18n.forLanguage('en');
    const user = await w.newUser('en', 'Saver');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    await w.press(user, en('client.menu.balance'));
    const screen = await w.nextEdit(user);
    expect(screen.text).toContain('On your balance: ₽0');
    expect(labelsOf(screen)).toEqual(['+₽200', '+₽500', '+₽1,000', '+₽3,000', en('client.balance.otherAmount'), en('client.common.back')]);

    await w.press(user, '+₽500');
    const how = await w.nextEdit(user);
    expect(how.text).toContain('₽500');
    // Stars are in another currency than the balance: not offered for a top-up.
    expect(labelsOf(how)).toEqual([en('client.checkout.methods.yookassa'), en('client.common.back')]);
    await w.press(user, en('client.checkout.methods.yookassa'));
    const link = await w.next(user);
    expect(link.text).toContain('Invoice for ₽500: balance top-up');

    const customer = await w.db.repos.users.findByTelegramId(user.id);
    const [payment] = await w.db.repos.payments.listByUser(customer!.id);
    expect(payment).toMatchObject({ kind: 'top_up', status: 'pending', provider: 'yookassa', amountMinor: 50_000, planId: null });
    expect(payment!.externalId).toBeTruthy();
    // The provider's notification, as the webhooks service and the worker settle it.
    const report = { paymentId: payment!.id, providerStatus: 'succeeded' as const, amountMinor: 50_000, currency: 'RUB' };
    expect((await w.billing.settlement.settlePayment(report)).outcome).toBe('credited');

    await w.press(user, en('client.payment.check'));
    expect((await w.nextEdit(user)).text).toBe(en('client.balance.paid', { balance: '₽500' }));
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'balance' });
    const after = await w.next(user);
    expect(after.text).toContain('On your balance: ₽500');
    expect(after.text).toMatch(/\+₽500 · top-up · /);
    // No subscription was bought with it.
    expect(await w.db.repos.subscriptions.listByUser(customer!.id)).toEqual([]);
  });

  it('a typed amount is checked against the limits of the settings (ru)', async () => {
    const ru = w.i18n.forLanguage('ru');
    const user = await w.newUser('ru', 'Typer');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'balance' });
    expect((await w.next(user)).text).toMatch(/На балансе: 0\s₽/);
    await w.press(user, ru('client.balance.otherAmount'));
    expect((await w.next(user)).text).toMatch(/от 100\s₽ до 100\s000\s₽/);
    for (const typed of ['пять', '5', '100001']) {
      await w.tg.sendText({ from: user.id, bot: w.botInfo.id, text: typed });
      expect((await w.next(user)).text).toMatch(/^Не получилось прочитать сумму/);
    }
    await w.tg.sendText({ from: user.id, bot: w.botInfo.id, text: '750,50' });
    const how = await w.next(user);
    expect(how.text).toMatch(/Пополнение баланса на 750,50\s₽/);
    await w.press(user, ru('client.checkout.methods.yookassa'));
    expect((await w.next(user)).text).toMatch(/Счёт на 750,50\s₽: пополнение баланса/);
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    const [payment] = await w.db.repos.payments.listByUser(customer!.id);
    expect(payment).toMatchObject({ kind: 'top_up', amountMinor: 75_050, currency: 'RUB' });
  });

  /** A customer with `balanceMinor` on the balance at the one-month checkout. */
  const atCheckout = async (balanceMinor: number) => {
    const en = w.i18n.forLanguage('en');
    const user = await w.newUser('en', 'Spender');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    const customer = (await w.db.repos.users.findByTelegramId(user.id))!;
    await w.billing.balance.adjust({
      userId: customer.id,
      amountMinor: balanceMinor,
      reason: 'gift',
      actor: 'admin:1',
      idempotencyKey: `g${user.id}`,
    });
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'buy' });
    await w.press(
      user,
      labelsOf(await w.next(user)).find((l) => l.startsWith('1 month'))!,
    );
    const checkout = await w.nextEdit(user);
    expect(checkout.text).toContain(en('client.checkout.chooseMethod'));
    return { en, user, customer, checkout };
  };

  it('a balance that covers the plan pays for it with one button; the subscription starts at once', async () => {
    const { en, user, customer, checkout } = await atCheckout(30_000);
    expect(checkout.text).toContain('On your balance: ₽300');
    expect(labelsOf(checkout)[0]).toBe(en('client.checkout.payFromBalance'));
    await w.press(user, en('client.checkout.payFromBalance'));
    expect((await w.next(user)).text).toMatch(/^✅ Paid from your balance\. Your subscription is valid until /);
    expect(await w.billing.balance.amount(customer.id)).toBe(30_000 - 19_900);
    const sub = await w.db.repos.subscriptions.getCurrentForUser(customer.id);
    expect(sub).toMatchObject({ status: 'active', isTrial: false });
    const [payment] = await w.db.repos.payments.listByUser(customer.id);
    expect(payment).toMatchObject({ provider: 'balance', status: 'succeeded', amountMinor: 19_900 });
  });

  it('a balance that covers a part: the provider is asked for the rest, unless the customer unticks it', async () => {
    const { en, user, customer, checkout } = await atCheckout(5_000);
    expect(checkout.text).toContain('From the balance: ₽50, left to pay: ₽149');
    expect(labelsOf(checkout)).not.toContain(en('client.checkout.payFromBalance'));
    await w.press(user, en('client.checkout.useBalanceOn'));
    const unticked = await w.nextEdit(user);
    expect(unticked.text).not.toContain('From the balance');
    await w.press(user, en('client.checkout.useBalanceOff'));
    expect((await w.nextEdit(user)).text).toContain('left to pay: ₽149');
    await w.press(user, en('client.checkout.methods.yookassa'));
    expect((await w.next(user)).text).toContain('₽149');
    const [payment] = await w.db.repos.payments.listByUser(customer.id);
    expect(payment).toMatchObject({
      provider: 'yookassa',
      amountMinor: 14_900,
      metadata: expect.objectContaining({ balanceMinor: 5_000 }) as unknown,
    });
    // The provider's report: the balance part is taken with it, the plan bought.
    const report = { paymentId: payment!.id, providerStatus: 'succeeded' as const, amountMinor: 14_900, currency: 'RUB' };
    expect((await w.billing.settlement.settlePayment(report)).outcome).toBe('settled');
    expect(await w.billing.balance.amount(customer.id)).toBe(0);
  });
});
