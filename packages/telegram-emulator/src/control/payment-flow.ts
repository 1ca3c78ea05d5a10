import { SUBSCRIPTION_PERIOD } from '../api/payments.js';
import { postPaymentMessage, successfulPayment } from '../state/payment-messages.js';
import type { InvoiceRecord } from '../state/payments.js';
import type { World } from '../state/world.js';
import { ControlError, findBot, findUser } from './resolve.js';
import type { PayInvoiceInput, PaymentResult } from './types.js';

function findInvoice(world: World, input: PayInvoiceInput): InvoiceRecord {
  if (input.link !== undefined) {
    const invoice = world.payments.invoiceByLink(input.link);
    if (!invoice) throw new ControlError(`unknown invoice link ${input.link}`);
    return invoice;
  }
  if (input.bot === undefined) throw new ControlError('name the bot (or give an invoice link)');
  const bot = findBot(world, input.bot);
  const chatId = input.chatId ?? input.from;
  if (input.messageId !== undefined) {
    const invoice = world.payments.invoiceByMessage(bot.id, chatId, input.messageId);
    if (!invoice) throw new ControlError(`message ${input.messageId} is not an invoice of that bot`);
    return invoice;
  }
  const newest = [...world.payments.invoices.values()].filter((i) => i.botId === bot.id && i.chatId === chatId).at(-1);
  if (!newest) throw new ControlError(`the bot sent no invoice in chat ${chatId}`);
  return newest;
}

/**
 * A user pays an invoice with Stars: the bot gets `pre_checkout_query` and must answer within the
 * pre-checkout timeout; on ok the user's chat gets `successful_payment` (with a new
 * telegram_payment_charge_id), on a refusal or silence the payment fails.
 */
export async function payInvoice(world: World, input: PayInvoiceInput): Promise<PaymentResult> {
  const user = findUser(world, input.from);
  const invoice = findInvoice(world, input);
  const bot = world.bots.byId(invoice.botId);
  if (!bot) throw new ControlError('the bot of this invoice is no longer registered');
  const conv = world.chats.privateChat(bot.id, user.id);
  if (conv.blocked) throw new ControlError('the user has blocked this bot: unblockBot first');
  const pre = world.payments.addPreCheckout({
    botId: bot.id,
    userId: user.id,
    invoiceId: invoice.id,
  });
  const answer = new Promise<{ ok: boolean; errorMessage?: string } | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), world.timings.preCheckoutTimeoutMs);
    pre.onAnswer = (a) => {
      clearTimeout(timer);
      resolve(a);
    };
  });
  bot.queue.push('pre_checkout_query', {
    id: pre.id,
    from: user,
    currency: invoice.currency,
    total_amount: invoice.totalAmount,
    invoice_payload: invoice.payload,
  });
  const asked = world.events.emit({
    type: 'pre_checkout_query',
    botId: bot.id,
    userId: user.id,
    detail: { preCheckoutQueryId: pre.id },
  });
  const result = await answer;
  const base = { seq: asked.seq, preCheckoutQueryId: pre.id };
  if (!result) return { ...base, status: 'timeout' };
  if (!result.ok) return { ...base, status: 'declined', errorMessage: result.errorMessage ?? '' };
  const now = Math.floor(Date.now() / 1000);
  const charge = world.payments.addCharge({
    botId: bot.id,
    userId: user.id,
    invoiceId: invoice.id,
    amount: invoice.totalAmount,
    currency: invoice.currency,
    payload: invoice.payload,
    date: now,
    ...(invoice.subscriptionPeriod ? { subscriptionExpiresAt: now + invoice.subscriptionPeriod } : {}),
  });
  const { messageId, seq } = postPaymentMessage(world, charge, {
    successful_payment: successfulPayment(charge, invoice.subscriptionPeriod ? { first: true } : undefined),
  });
  world.events.emit({
    type: 'payment',
    botId: bot.id,
    chatId: user.id,
    userId: user.id,
    messageId,
    detail: { chargeId: charge.chargeId },
  });
  return { ...base, seq, status: 'paid', chargeId: charge.chargeId, messageId };
}

/** Telegram renews a Stars subscription by itself: another `successful_payment`, is_recurring, new charge id. */
export function renewSubscription(world: World, input: { chargeId: string }): PaymentResult {
  const previous = world.payments.charges.get(input.chargeId);
  if (!previous) throw new ControlError(`unknown charge ${input.chargeId}`);
  if (previous.subscriptionExpiresAt === undefined) throw new ControlError('that charge is not a subscription');
  if (previous.subscriptionCanceled) throw new ControlError('the subscription was canceled');
  const charge = world.payments.addCharge({
    botId: previous.botId,
    userId: previous.userId,
    invoiceId: previous.invoiceId,
    amount: previous.amount,
    currency: previous.currency,
    payload: previous.payload,
    date: Math.floor(Date.now() / 1000),
    subscriptionExpiresAt: previous.subscriptionExpiresAt + SUBSCRIPTION_PERIOD,
  });
  const { messageId, seq } = postPaymentMessage(world, charge, {
    successful_payment: successfulPayment(charge, { first: false }),
  });
  world.events.emit({
    type: 'payment',
    botId: charge.botId,
    chatId: charge.userId,
    userId: charge.userId,
    messageId,
    detail: { chargeId: charge.chargeId },
  });
  return { seq, status: 'paid', chargeId: charge.chargeId, messageId };
}
