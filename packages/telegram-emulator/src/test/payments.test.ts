import { describe, expect, it } from 'vitest';
import type { Bot } from 'grammy';
import type { PreCheckoutQuery } from 'grammy/types';
import { CLIENT_TOKEN, makeBot, refusal, expectBadRequest, useEmulator, userWhoStarted } from './harness.js';

describe('Telegram Stars payments', () => {
  const env = useEmulator();

  /** Reads (and confirms) pending updates until a pre-checkout query shows up. */
  async function nextPreCheckout(bot: Bot): Promise<PreCheckoutQuery> {
    for (;;) {
      const updates = await bot.api.getUpdates({ timeout: 2 });
      if (updates.length === 0) throw new Error('no pre_checkout_query arrived');
      await bot.api.getUpdates({ offset: updates.at(-1)!.update_id + 1 });
      const query = updates.map((u) => u.pre_checkout_query).find(Boolean);
      if (query) return query;
    }
  }

  it('runs invoice → pre-checkout → successful_payment → refund end to end', async () => {
    const userId = await userWhoStarted(env.emulator, CLIENT_TOKEN, 'Payer');
    const charges: string[] = [];
    const bot = await env.started(CLIENT_TOKEN, (b) => {
      b.command('buy', (ctx) =>
        ctx.replyWithInvoice('VPN 30 days', 'Unlimited traffic', 'order:42', 'XTR', [{ label: '30 days', amount: 150 }]),
      );
      b.on('pre_checkout_query', (ctx) => ctx.answerPreCheckoutQuery(ctx.preCheckoutQuery.invoice_payload === 'order:42'));
      b.on('message:successful_payment', async (ctx) => {
        charges.push(ctx.msg.successful_payment.telegram_payment_charge_id);
        await ctx.reply(`Paid ${ctx.msg.successful_payment.total_amount} ⭐`);
      });
    });
    await env.emulator.client.sendCommand({ from: userId, bot: CLIENT_TOKEN, command: 'buy' });
    const invoice = await env.emulator.client.waitForMessage({ chatId: userId, bot: CLIENT_TOKEN });
    expect(invoice.message.invoice).toEqual({
      title: 'VPN 30 days',
      description: 'Unlimited traffic',
      start_parameter: '',
      currency: 'XTR',
      total_amount: 150,
    });
    expect(invoice.replyMarkup?.inline_keyboard[0]?.[0]).toMatchObject({ pay: true });

    const payment = await env.emulator.client.payInvoice({ from: userId, bot: CLIENT_TOKEN });
    expect(payment.status).toBe('paid');
    const thanks = await env.emulator.client.waitForMessage({ chatId: userId, bot: CLIENT_TOKEN });
    expect(thanks.text).toBe('Paid 150 ⭐');
    expect(charges).toEqual([payment.chargeId]);
    const [paidMessage] = await env.emulator.client.getMessages({
      chatId: userId,
      bot: CLIENT_TOKEN,
      sender: 'user',
      after: invoice.seq,
    });
    expect(paidMessage?.message.successful_payment).toMatchObject({
      currency: 'XTR',
      total_amount: 150,
      invoice_payload: 'order:42',
      telegram_payment_charge_id: payment.chargeId,
    });

    expect(await bot.api.refundStarPayment(userId, payment.chargeId!)).toBe(true);
    await expectBadRequest(bot.api.refundStarPayment(userId, payment.chargeId!), 'CHARGE_ALREADY_REFUNDED');
    await expectBadRequest(bot.api.refundStarPayment(userId, 'stxNope'), 'CHARGE_NOT_FOUND');
    const { transactions } = await bot.api.getStarTransactions();
    expect(transactions.filter((t) => t.id === payment.chargeId).map((t) => ('source' in t && t.source ? 'in' : 'out'))).toEqual([
      'in',
      'out',
    ]);
  });

  it('fails the payment when the bot declines or does not answer in time', async () => {
    const userId = await userWhoStarted(env.emulator, CLIENT_TOKEN, 'Decliner');
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const before = (await bot.api.getStarTransactions()).transactions.length;
    await bot.api.sendInvoice(userId, 'VPN', 'One month', 'order:1', 'XTR', [{ label: 'month', amount: 100 }]);
    const declined = env.emulator.client.payInvoice({ from: userId, bot: CLIENT_TOKEN });
    const query = await nextPreCheckout(bot);
    expect(query).toMatchObject({
      currency: 'XTR',
      total_amount: 100,
      invoice_payload: 'order:1',
      from: { id: userId },
    });
    await bot.api.answerPreCheckoutQuery(query.id, false, { error_message: 'Out of stock' });
    expect(await declined).toMatchObject({ status: 'declined', errorMessage: 'Out of stock' });

    const silent = await env.emulator.client.payInvoice({ from: userId, bot: CLIENT_TOKEN });
    expect(silent.status).toBe('timeout');
    const late = await refusal(bot.api.answerPreCheckoutQuery(silent.preCheckoutQueryId!, true));
    expect(late).toMatchObject({
      error_code: 400,
      description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });
    await nextPreCheckout(bot);
    // Neither attempt charged anything.
    expect((await bot.api.getStarTransactions()).transactions).toHaveLength(before);
  });

  it('sells subscriptions through invoice links and renews them', async () => {
    const userId = await userWhoStarted(env.emulator, CLIENT_TOKEN, 'Subscriber');
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const link = await bot.api.createInvoiceLink('VPN monthly', 'Auto-renewing', 'sub:1', '', 'XTR', [{ label: '30 days', amount: 250 }], {
      subscription_period: 2592000,
    });
    expect(link).toMatch(/^https:\/\/t\.me\/\$[\w-]+$/);
    await expectBadRequest(
      bot.api.createInvoiceLink('x', 'y', 'z', '', 'XTR', [{ label: 'p', amount: 1 }], {
        subscription_period: 86400,
      }),
      'SUBSCRIPTION_PERIOD_INVALID',
    );
    await expectBadRequest(
      bot.api.sendInvoice(userId, 'x', 'y', 'p'.repeat(129), 'XTR', [{ label: 'p', amount: 1 }]),
      'INVOICE_PAYLOAD_INVALID',
    );

    const paying = env.emulator.client.payInvoice({ from: userId, link });
    await bot.api.answerPreCheckoutQuery((await nextPreCheckout(bot)).id, true);
    const first = await paying;
    const renewal = await env.emulator.client.renewSubscription({ chargeId: first.chargeId! });
    const payments = (await env.emulator.client.getMessages({ chatId: userId, bot: CLIENT_TOKEN, sender: 'user' }))
      .map((m) => m.message.successful_payment as Record<string, unknown> | undefined)
      .filter(Boolean);
    expect(payments).toEqual([
      expect.objectContaining({
        is_recurring: true,
        is_first_recurring: true,
        invoice_payload: 'sub:1',
        telegram_payment_charge_id: first.chargeId,
      }),
      expect.objectContaining({
        is_recurring: true,
        invoice_payload: 'sub:1',
        telegram_payment_charge_id: renewal.chargeId,
      }),
    ]);
    expect((payments[1]!.subscription_expiration_date as number) - (payments[0]!.subscription_expiration_date as number)).toBe(2592000);
    const rest = await bot.api.getUpdates();
    await bot.api.getUpdates({ offset: rest.at(-1)!.update_id + 1 });
  });
});
