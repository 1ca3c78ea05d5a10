import type { Payment } from '@vpn/db';
import type { CreatedPayment } from '@vpn/payments';
import { callbackData } from '@vpn/telegram-kit';
import { InlineKeyboard } from 'grammy';
import type { ClientContext } from '../../context.js';
import { afterPaymentNote } from '../../ui/customer-state.js';
import { formatMoney, label } from '../../ui/format.js';

/** "Check payment" and "cancel payment" buttons carry our payment id (a uuid: 39 bytes in all). */
export const checkPaymentData = callbackData('pc', ['id']);
export const cancelPaymentData = callbackData('px', ['id']);

/** A Stars invoice is stale after this; the customer asks for a new one (shared with the worker's poll). */
export { STARS_INVOICE_TTL_MS } from '@vpn/payments';

/**
 * Shows the customer how to pay `payment`: a Stars invoice (Telegram's own pay button first, then
 * cancel), or the provider's payment page with "check" and "cancel" buttons.
 */
export async function sendPaymentMessage(
  ctx: ClientContext,
  deps: Parameters<typeof afterPaymentNote>[1],
  payment: Payment,
  planTitle: string,
  invoice?: CreatedPayment['invoice'],
): Promise<void> {
  const amount = formatMoney(Number(payment.amountMinor), payment.currency, ctx.i18n.language);
  if (payment.provider === 'stars') {
    const title = invoice?.title ?? Array.from(planTitle).slice(0, 32).join('');
    const description = invoice?.description ?? label(ctx.t('client.buy.invoiceDescription', { plan: planTitle }));
    const prices = invoice?.prices ?? [{ label: title, amount: Number(payment.amountMinor) }];
    const keyboard = new InlineKeyboard()
      .pay(label(ctx.t('client.payment.payStars', { amount })))
      .row()
      .text(ctx.t('client.payment.cancel'), cancelPaymentData.pack({ id: payment.id }));
    await ctx.replyWithInvoice(title, description, payment.id, 'XTR', prices, { reply_markup: keyboard });
    return;
  }
  const keyboard = new InlineKeyboard();
  if (payment.confirmationUrl) keyboard.url(label(ctx.t('client.payment.pay', { amount })), payment.confirmationUrl).row();
  keyboard
    .text(ctx.t('client.payment.check'), checkPaymentData.pack({ id: payment.id }))
    .text(ctx.t('client.payment.cancel'), cancelPaymentData.pack({ id: payment.id }));
  const text =
    payment.kind === 'top_up'
      ? ctx.t('client.balance.link', { amount })
      : `${ctx.t('client.payment.link', { amount, plan: planTitle })}\n\n${await afterPaymentNote(ctx, deps)}`;
  await ctx.reply(text, {
    reply_markup: keyboard,
    link_preview_options: { is_disabled: true },
  });
}
