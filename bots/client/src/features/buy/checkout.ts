import { randomBytes } from 'node:crypto';
import { isBillingError, type CreatedPendingPayment } from '@vpn/billing';
import type { PaymentProvider as ProviderName } from '@vpn/db';
import { PaymentError, type CreatedPayment } from '@vpn/payments';
import type { ClientContext } from '../../context.js';
import { label } from '../../ui/format.js';
import { sendPaymentMessage } from '../payments/payment-message.js';
import type { FeatureDeps } from '../feature-deps.js';
import { savesCard } from './card-save.js';
import { planTitle } from './plans.js';

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

/** A fresh checkout key: 12 random characters. */
export const newNonce = (): string => randomBytes(9).toString('base64url');

/** The promo refusal reasons billing reports, each with its own answer (`client.promo.<reason>`). */
export const PROMO_REASONS = ['unknown', 'inactive', 'not_started', 'expired', 'not_for_plan', 'used_up', 'already_used'] as const;
export type PromoReason = (typeof PROMO_REASONS)[number];

/** The reason of a `PROMO_<REASON>` billing error, or undefined for any other error. */
export function promoReasonOf(err: unknown): PromoReason | undefined {
  if (!isBillingError(err) || !err.code.startsWith('PROMO_')) return undefined;
  const reason = err.code.slice('PROMO_'.length).toLowerCase();
  return (PROMO_REASONS as readonly string[]).includes(reason) ? (reason as PromoReason) : 'unknown';
}

/**
 * Pays for the checkout in the session with `provider`: billing creates (or, for the same
 * checkout key, returns) the pending payment at the quoted price, the provider makes the payment
 * page or the Stars invoice, and the customer gets it with "check" and "cancel". A provider that
 * fails leaves no pending payment behind (it is cancelled) and the customer may pick another.
 */
export async function payWith(ctx: ClientContext, deps: FeatureDeps, provider: ProviderName): Promise<void> {
  const checkout = ctx.session.checkout;
  if (!checkout) return deps.screens.show(ctx, 'buy');
  let created: CreatedPendingPayment;
  try {
    const saveCard = await savesCard(ctx, deps, provider);
    const request = { userId: ctx.customer.id, planId: checkout.planId, provider, promoCode: checkout.promo ?? null, saveCard };
    // The checkout's payments (one per method tried) hold one promo use between them.
    created = await deps.billing.ledger.createPendingPayment({
      ...request,
      idempotencyKey: `co:${ctx.customer.id}:${checkout.nonce}:${provider}`,
      checkout: checkout.nonce,
    });
    if (created.payment.status !== 'pending') {
      // The payment of this checkout was cancelled or paid meanwhile: this is a new checkout.
      checkout.nonce = newNonce();
      created = await deps.billing.ledger.createPendingPayment({
        ...request,
        idempotencyKey: `co:${ctx.customer.id}:${checkout.nonce}:${provider}`,
        checkout: checkout.nonce,
      });
    }
  } catch (err) {
    const reason = promoReasonOf(err);
    if (reason) {
      checkout.promo = undefined;
      await ctx.reply(ctx.t(`client.promo.${reason}`));
      return deps.screens.show(ctx, 'co', { fresh: true });
    }
    if (!isBillingError(err, 'PLAN_NOT_FOUND', 'PLAN_INACTIVE', 'INVALID_INPUT')) throw err;
    ctx.logger.warn({ err, planId: checkout.planId, provider }, 'checkout refused');
    ctx.session.checkout = undefined;
    await ctx.reply(ctx.t('client.buy.planGone'));
    return deps.screens.show(ctx, 'buy', { fresh: true });
  }

  const plan = await deps.catalog.plan(checkout.planId);
  const title = plan ? planTitle(ctx, plan) : '';
  let payment = created.payment;
  if (!created.created && (payment.confirmationUrl || provider === 'stars')) return sendPaymentMessage(ctx, payment, title);

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
    checkout.nonce = newNonce();
    await ctx.reply(ctx.t('client.buy.providerDown'));
    return deps.screens.show(ctx, 'co', { fresh: true });
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
  await sendPaymentMessage(ctx, payment, title, made.invoice);
}
