import { randomBytes } from 'node:crypto';
import { isBillingError, type CreatedPendingPayment } from '@vpn/billing';
import type { PaymentProvider as ProviderName } from '@vpn/db';
import type { ClientContext } from '../../context.js';
import { openAtProvider } from '../payments/open-at-provider.js';
import type { FeatureDeps } from '../feature-deps.js';
import { balancePartFor } from './balance-pay.js';
import { savesCard } from './card-save.js';
import { planTitle } from './plans.js';

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
 * The plan changed long enough ago that the checkout's terms lapsed (billing `PLAN_CHANGED`):
 * nothing was paid; the checkout is shown again with the plan's terms now.
 */
export async function planChanged(ctx: ClientContext, deps: FeatureDeps): Promise<void> {
  const checkout = ctx.session.checkout;
  if (checkout) ctx.session.checkout = { ...checkout, offer: undefined, nonce: newNonce() };
  await ctx.reply(ctx.t('client.buy.planChanged'));
  return deps.screens.show(ctx, 'co', { fresh: true });
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
    const balanceMinor = await balancePartFor(ctx, deps, provider);
    const request = {
      userId: ctx.customer.id,
      planId: checkout.planId,
      provider,
      promoCode: checkout.promo ?? null,
      offer: checkout.offer ?? null,
      saveCard,
      ...(balanceMinor > 0 ? { balanceMinor } : {}),
    };
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
    if (isBillingError(err, 'PLAN_CHANGED')) return planChanged(ctx, deps);
    if (!isBillingError(err, 'PLAN_NOT_FOUND', 'PLAN_INACTIVE', 'INVALID_INPUT')) throw err;
    ctx.logger.warn({ err, planId: checkout.planId, provider }, 'checkout refused');
    ctx.session.checkout = undefined;
    await ctx.reply(ctx.t('client.buy.planGone'));
    return deps.screens.show(ctx, 'buy', { fresh: true });
  }

  const plan = await deps.catalog.plan(checkout.planId);
  if (!(await openAtProvider(ctx, deps, created, plan ? planTitle(ctx, plan) : ''))) {
    checkout.nonce = newNonce();
    return deps.screens.show(ctx, 'co', { fresh: true });
  }
}
