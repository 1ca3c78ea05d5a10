import type { InvoiceRecord, LabeledPrice } from '../state/payments.js';
import type { TgInlineKeyboard } from '../types.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';
import { postFromBot, resolveTarget } from './send.js';

/** Telegram Stars subscriptions renew every 30 days and cost at most 10 000 Stars. */
export const SUBSCRIPTION_PERIOD = 2_592_000;
const MAX_SUBSCRIPTION_STARS = 10_000;

type InvoiceFields = Pick<InvoiceRecord, 'title' | 'description' | 'payload' | 'currency' | 'prices' | 'totalAmount'>;

/**
 * The fields sendInvoice and createInvoiceLink share, validated for Telegram Stars: currency XTR,
 * an empty provider token, exactly one price, title 1..32 and description 1..255 characters,
 * payload 1..128 bytes. (Error codes for the title and description are not verified.)
 */
function invoiceFields(ctx: MethodContext): InvoiceFields {
  const { params } = ctx;
  const title = params.reqStr('title', 'INVOICE_TITLE_EMPTY');
  if (title.length > 32) throw badRequest('INVOICE_TITLE_INVALID');
  const description = params.reqStr('description', 'INVOICE_DESCRIPTION_EMPTY');
  if (description.length > 255) throw badRequest('INVOICE_DESCRIPTION_INVALID');
  const payload = params.reqStr('payload', 'INVOICE_PAYLOAD_INVALID');
  if (Buffer.byteLength(payload) > 128) throw badRequest('INVOICE_PAYLOAD_INVALID');
  const currency = params.reqStr('currency', 'CURRENCY_INVALID');
  // Only Stars are emulated: a provider token means a card provider, which does not exist here.
  if (currency !== 'XTR' || (params.str('provider_token') ?? '') !== '') throw badRequest('PAYMENT_PROVIDER_INVALID');
  const prices = params.json<LabeledPrice[]>('prices', 'prices JSON object');
  if (!Array.isArray(prices) || prices.length !== 1) throw badRequest('STARS_INVOICE_INVALID');
  const [price] = prices;
  if (!price || typeof price.label !== 'string' || !Number.isInteger(price.amount) || price.amount <= 0) {
    throw badRequest('CURRENCY_TOTAL_AMOUNT_INVALID');
  }
  return {
    title,
    description,
    payload,
    currency,
    prices: [{ label: price.label, amount: price.amount }],
    totalAmount: price.amount,
  };
}

function sendInvoice(ctx: MethodContext): unknown {
  const target = resolveTarget(ctx);
  const fields = invoiceFields(ctx);
  // Telegram shows a Pay button when the bot gives no keyboard; a custom one must start with it.
  const payButton: TgInlineKeyboard = {
    inline_keyboard: [[{ text: `Pay ⭐️${fields.totalAmount}`, pay: true }]],
  };
  if (!target.markup?.inline) target.markup = { inline: payButton };
  else if (target.markup.inline.inline_keyboard[0]?.[0]?.pay !== true) throw badRequest('REPLY_MARKUP_BUY_EMPTY');
  const message = postFromBot(ctx, target, {
    invoice: {
      title: fields.title,
      description: fields.description,
      start_parameter: ctx.params.str('start_parameter') ?? '',
      currency: fields.currency,
      total_amount: fields.totalAmount,
    },
  });
  ctx.world.payments.addInvoice({
    ...fields,
    botId: ctx.bot.id,
    chatId: message.chat.id,
    messageId: message.message_id,
  });
  return message;
}

/** createInvoiceLink: an opaque https://t.me/$… link; `subscription_period` makes it a subscription. */
function createInvoiceLink(ctx: MethodContext): string {
  const fields = invoiceFields(ctx);
  const period = ctx.params.int('subscription_period');
  if (period !== undefined && period !== SUBSCRIPTION_PERIOD) throw badRequest('SUBSCRIPTION_PERIOD_INVALID');
  if (period !== undefined && fields.totalAmount > MAX_SUBSCRIPTION_STARS) throw badRequest('SUBSCRIPTION_PRICE_INVALID');
  const invoice = ctx.world.payments.addInvoice({
    ...fields,
    botId: ctx.bot.id,
    ...(period ? { subscriptionPeriod: period } : {}),
  });
  invoice.link = `https://t.me/$${invoice.id}`;
  return invoice.link;
}

/** Must come within the pre-checkout timeout (10 s on Telegram), once; later answers are refused. */
function answerPreCheckoutQuery(ctx: MethodContext): true {
  const { world, bot, params } = ctx;
  const id = params.reqStr('pre_checkout_query_id', 'QUERY_ID_INVALID');
  const record = world.payments.preCheckouts.get(id);
  const late = record !== undefined && Date.now() - record.createdAt > world.timings.preCheckoutTimeoutMs;
  if (!record || record.botId !== bot.id || record.answer || late) throw badRequest(TG.queryTooOld);
  const ok = params.bool('ok');
  if (ok === undefined) throw badRequest('ok is empty');
  const errorMessage = params.str('error_message');
  if (!ok && !errorMessage) throw badRequest('ERROR_MESSAGE_EMPTY');
  record.answer = ok ? { ok } : { ok, errorMessage: errorMessage! };
  world.events.emit({
    type: 'pre_checkout_answer',
    botId: bot.id,
    userId: record.userId,
    detail: { preCheckoutQueryId: id, ...record.answer },
  });
  record.onAnswer?.(record.answer);
  return true;
}

export const paymentMethods: Record<string, MethodHandler> = {
  sendInvoice,
  createInvoiceLink,
  answerPreCheckoutQuery,
};
