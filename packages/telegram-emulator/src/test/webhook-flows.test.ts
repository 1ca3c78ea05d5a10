import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Bot, InlineKeyboard, webhookCallback } from 'grammy';
import { CLIENT_TOKEN, makeBot, useEmulator } from './harness.js';

/** A grammY bot served by its own webhookCallback on a local port, with the webhook set. */
function useWebhookBots(env: ReturnType<typeof useEmulator>) {
  const servers: Server[] = [];
  afterEach(async () => {
    await (await makeBot(env.emulator, CLIENT_TOKEN)).api.deleteWebhook({ drop_pending_updates: true });
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });
  return async (bot: Bot, listener: RequestListener = webhookCallback(bot, 'http')): Promise<string> => {
    const server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await bot.api.setWebhook(url);
    return url;
  };
}

describe('webhook mode: buttons and Stars payments through grammY webhookCallback', () => {
  const env = useEmulator();
  const serve = useWebhookBots(env);

  it('presses a button: the callback answer rides in the webhook reply, the edit is an API call', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Hook' });
    // grammY may answer one call per update in the HTTP response, as Telegram allows.
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const overHttp: string[] = [];
    const viaReply = new Bot(bot.token, {
      client: {
        apiRoot: env.emulator.apiRoot,
        canUseWebhookReply: (method) => method === 'answerCallbackQuery',
        // Records the calls that went over HTTP; a webhook reply never reaches fetch.
        fetch: (url: string, init: RequestInit) => {
          overHttp.push(url.split('/').at(-1) ?? '');
          return fetch(url, init);
        },
      },
      botInfo: bot.botInfo,
    });
    viaReply.command('start', (ctx) =>
      ctx.reply('Pick a plan', { reply_markup: new InlineKeyboard().text('1 month', 'plan:m1').text('3 months', 'plan:m3') }),
    );
    viaReply.callbackQuery(/^plan:(m\d)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: `plan ${ctx.match[1]}` });
      await ctx.editMessageText(`Chosen: ${ctx.match[1]}`);
    });
    await serve(viaReply);

    await env.emulator.client.start({ from: user.id, bot: CLIENT_TOKEN });
    const menu = await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    const press = await env.emulator.client.pressButton({ from: user.id, bot: CLIENT_TOKEN, text: '3 months' });
    const answer = await env.emulator.client.waitForCallbackAnswer({ callbackQueryId: press.callbackQueryId });
    expect(answer).toMatchObject({ answered: true, text: 'plan m3', data: 'plan:m3', messageId: menu.messageId });
    const edited = await env.emulator.client.waitForEdit({ chatId: user.id, bot: CLIENT_TOKEN, messageId: menu.messageId });
    expect(edited.text).toBe('Chosen: m3');
    expect(edited.replyMarkup).toBeUndefined();
    expect(overHttp).toEqual(['setWebhook', 'sendMessage', 'editMessageText']);
    expect((await bot.api.getWebhookInfo()).pending_update_count).toBe(0);
  });

  it('takes a Stars payment: pre_checkout_query answered in time, successful_payment delivered, refund', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Payer' });
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const paid: { charge: string; amount: number; payload: string }[] = [];
    bot.command('buy', (ctx) => ctx.replyWithInvoice('VPN 30 days', 'Unlimited', 'order:77', 'XTR', [{ label: '30 days', amount: 250 }]));
    bot.on('pre_checkout_query', (ctx) => ctx.answerPreCheckoutQuery(ctx.preCheckoutQuery.invoice_payload === 'order:77'));
    bot.on('message:successful_payment', async (ctx) => {
      const p = ctx.msg.successful_payment;
      paid.push({ charge: p.telegram_payment_charge_id, amount: p.total_amount, payload: p.invoice_payload });
      await ctx.reply('Thank you');
    });
    await serve(bot);

    await env.emulator.client.sendCommand({ from: user.id, bot: CLIENT_TOKEN, command: 'buy' });
    const invoice = await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    expect(invoice.message.invoice).toMatchObject({ currency: 'XTR', total_amount: 250 });
    const payment = await env.emulator.client.payInvoice({ from: user.id, bot: CLIENT_TOKEN });
    expect(payment.status).toBe('paid');
    expect((await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN })).text).toBe('Thank you');
    expect(paid).toEqual([{ charge: payment.chargeId, amount: 250, payload: 'order:77' }]);
    expect(await bot.api.refundStarPayment(user.id, payment.chargeId!)).toBe(true);
  });

  it('declines a payment the bot refuses at pre-checkout, with its error message', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Declined' });
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    bot.command('buy', (ctx) => ctx.replyWithInvoice('VPN', 'x', 'order:sold-out', 'XTR', [{ label: 'x', amount: 1 }]));
    bot.on('pre_checkout_query', (ctx) => ctx.answerPreCheckoutQuery(false, { error_message: 'Sold out' }));
    await serve(bot);
    await env.emulator.client.sendCommand({ from: user.id, bot: CLIENT_TOKEN, command: 'buy' });
    await env.emulator.client.waitForMessage({ chatId: user.id, bot: CLIENT_TOKEN });
    expect(await env.emulator.client.payInvoice({ from: user.id, bot: CLIENT_TOKEN })).toMatchObject({
      status: 'declined',
      errorMessage: 'Sold out',
    });
  });
});

describe('webhook mode: a hook slower than the read timeout', () => {
  const env = useEmulator({
    timings: {
      callbackQueryTtlMs: 2_000,
      preCheckoutTimeoutMs: 1_000,
      webhookRetryBaseMs: 20,
      webhookRetryMaxMs: 100,
      webhookTimeoutMs: 300,
    },
  });
  const serve = useWebhookBots(env);

  it('counts the attempt as failed ("Read timeout expired") and delivers the same update again', async () => {
    const user = await env.emulator.client.createUser({ firstName: 'Slow' });
    const bot = await makeBot(env.emulator, CLIENT_TOKEN);
    const seen: number[] = [];
    bot.on('message:text', async (ctx) => {
      const attempt = seen.push(ctx.update.update_id);
      // The first delivery takes longer than the emulator waits; the retry is quick.
      if (attempt === 1) await new Promise((r) => setTimeout(r, 800));
      await ctx.reply(`handled #${attempt}`);
    });
    await serve(bot);

    const sent = await env.emulator.client.sendText({ from: user.id, bot: CLIENT_TOKEN, text: 'hi' });
    await expect.poll(() => seen.length, { timeout: 3_000 }).toBe(2);
    // Telegram redelivers an update whose webhook timed out: handlers must be idempotent.
    expect(seen).toEqual([sent.updateIds[0], sent.updateIds[0]]);
    await expect.poll(async () => (await bot.api.getWebhookInfo()).pending_update_count, { timeout: 3_000 }).toBe(0);
    const info = await bot.api.getWebhookInfo();
    expect(info.last_error_message).toBe('Read timeout expired');
    expect(info.last_error_date).toBeGreaterThan(0);
    await expect
      .poll(
        async () =>
          (await env.emulator.client.getMessages({ chatId: user.id, bot: CLIENT_TOKEN, sender: 'bot' })).map((m) => m.text).sort(),
        { timeout: 3_000 },
      )
      .toEqual(['handled #1', 'handled #2']);
  });
});
