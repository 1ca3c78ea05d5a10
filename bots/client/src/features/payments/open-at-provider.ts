import type { CreatedPendingPayment } from '@vpn/billing';
import type { Payment } from '@vpn/db';
import { PaymentError, type CreatedPayment } from '@vpn/payments';
import type { ClientContext } from '../../context.js';
import { label } from '../../ui/format.js';
import type { FeatureDeps } from '../feature-deps.js';
import { sendPaymentMessage } from './payment-message.js';

/**
 * The provider refused to save the card (the shop has no recurring payments though the setting
 * says it has): the payment was made without it, so it must not switch auto-renew on; the operator
 * is told to fix `payments.recurringEnabled` (error log and an `alert.` audit row for the admin bot).
 */
async function recurringRefused(ctx: ClientContext, deps: FeatureDeps, paymentId: string): Promise<void> {
  await deps.db.repos.payments.mergeMetadata(paymentId, { saveCard: false });
  ctx.logger.error({ paymentId }, 'the provider refuses to save cards: set payments.recurringEnabled to false');
  await deps.db.repos.auditLog.append({
    actorKind: 'system',
    action: 'alert.recurring_refused',
    entity: 'payment',
    entityId: paymentId,
    data: { setting: 'payments.recurringEnabled', advice: 'the provider refused save_payment_method: set it to false' },
  });
}

/**
 * Has the payment's provider make the payment page or the Stars invoice for our pending payment
 * (a payment created before and already opened is just shown again) and sends it to the customer
 * with "check" and "cancel". A provider that fails leaves no pending payment behind (it is
 * cancelled), the customer is told, and the result is false: the caller offers its methods again.
 */
export async function openAtProvider(
  ctx: ClientContext,
  deps: FeatureDeps,
  created: Pick<CreatedPendingPayment, 'payment' | 'created'>,
  title: string,
): Promise<boolean> {
  let payment: Payment = created.payment;
  const provider = payment.provider;
  if (!created.created && (payment.confirmationUrl || provider === 'stars')) {
    await sendPaymentMessage(ctx, deps, payment, title);
    return true;
  }
  let made: CreatedPayment;
  try {
    made = await deps.payments.get(provider).createPayment({
      paymentId: payment.id,
      // One payment of ours is one at the provider (a retried create returns it); uuids suit every provider.
      idempotencyKey: payment.id,
      amountMinor: Number(payment.amountMinor),
      currency: payment.currency,
      title: Array.from(title).slice(0, 32).join(''),
      description: label(ctx.t('client.buy.invoiceDescription', { plan: title })),
      customer: { telegramId: ctx.from?.id ?? ctx.customer.telegramId, ...(ctx.customer.email ? { email: ctx.customer.email } : {}) },
      returnUrl: `https://t.me/${ctx.me.username}`,
      // Only with the customer's consent on the checkout screen (and a shop with recurring payments).
      savePaymentMethod: payment.metadata.saveCard === true,
    });
    if (made.savePaymentMethodRefused) await recurringRefused(ctx, deps, payment.id);
  } catch (err) {
    if (!(err instanceof PaymentError)) throw err;
    ctx.logger.error({ err, paymentId: payment.id, provider }, 'payment provider could not create the payment');
    await deps.billing.ledger.cancelPayment(payment.id, `provider_${err.code}`);
    await ctx.reply(ctx.t('client.buy.providerDown'));
    return false;
  }
  // Every provider's id is recorded, Stars included: nothing exists at Telegram until the customer
  // pays, so a Stars payment's external id is our own id (the invoice payload) until settlement
  // replaces it with the charge id. With it the worker's poll can find the payment in the bot's
  // Star transactions when the forward of `successful_payment` failed.
  payment = await deps.billing.ledger.attachExternal(payment.id, {
    externalId: made.externalId,
    confirmationUrl: made.confirmationUrl ?? null,
  });
  ctx.logger.info({ paymentId: payment.id, provider, amountMinor: payment.amountMinor }, 'payment created from the bot');
  await sendPaymentMessage(ctx, deps, payment, title, made.invoice);
  return true;
}
