import { isBillingError } from '@vpn/billing';
import type { ClientContext } from '../../context.js';
import { afterPaymentNote } from '../../ui/customer-state.js';
import { formatDate } from '../../ui/format.js';
import { once } from '../../ui/memo.js';
import type { FeatureDeps } from '../feature-deps.js';
import { checkoutQuotes } from './checkout-view.js';
import { newNonce, planChanged, promoReasonOf } from './checkout.js';

/**
 * What the customer's balance does for the session's checkout: `full` when it covers the price
 * (one "pay from balance" button), `part` when it covers some (the provider is asked for the
 * rest unless the customer unticked it), null when there is nothing on it or the price is in
 * another currency (Stars).
 */
export async function balanceUse(
  ctx: ClientContext,
  deps: FeatureDeps,
): Promise<{ kind: 'full' | 'part'; balanceMinor: number; priceMinor: number; currency: string; ticked: boolean } | null> {
  // The amounts once per update; the tick from the session every time (a press changes it mid-update).
  const found = await once(ctx, 'balanceUse', async () => {
    const quotes = await checkoutQuotes(ctx, deps);
    if (!quotes) return null;
    const { amountMinor: priceMinor, currency } = quotes.main.price;
    const balanceMinor = await deps.billing.balance.amount(ctx.customer.id, currency);
    if (balanceMinor <= 0 || priceMinor <= 0) return null;
    return { kind: balanceMinor >= priceMinor ? ('full' as const) : ('part' as const), balanceMinor, priceMinor, currency };
  });
  return found && { ...found, ticked: ctx.session.checkout?.useBalance ?? true };
}

/** The balance part a provider payment of this checkout carries (0: none). */
export async function balancePartFor(ctx: ClientContext, deps: FeatureDeps, provider: string): Promise<number> {
  const use = await balanceUse(ctx, deps);
  return use?.kind === 'part' && use.ticked && provider !== 'stars' ? use.balanceMinor : 0;
}

/**
 * Pays the session's checkout from the balance alone: billing debits it and extends the
 * subscription in one transaction (the worker then sends the receipt and the config). The same
 * checkout pressed twice is one purchase; a balance spent meanwhile is said plainly.
 */
export async function payFromBalance(ctx: ClientContext, deps: FeatureDeps): Promise<void> {
  const checkout = ctx.session.checkout;
  if (!checkout) return deps.screens.show(ctx, 'buy');
  // Read before the purchase: whether a link is coming or the key is kept.
  const note = await afterPaymentNote(ctx, deps);
  try {
    await deps.billing.balance.payForPlan({
      userId: ctx.customer.id,
      planId: checkout.planId,
      promoCode: checkout.promo ?? null,
      offer: checkout.offer ?? null,
      idempotencyKey: `co:${ctx.customer.id}:${checkout.nonce}:balance`,
      checkout: checkout.nonce,
    });
  } catch (err) {
    if (isBillingError(err, 'PLAN_CHANGED')) return planChanged(ctx, deps);
    checkout.nonce = newNonce();
    const reason = promoReasonOf(err);
    if (reason) checkout.promo = undefined;
    else if (!isBillingError(err, 'INSUFFICIENT_BALANCE', 'ILLEGAL_TRANSITION', 'PLAN_NOT_FOUND', 'PLAN_INACTIVE', 'INVALID_INPUT'))
      throw err;
    ctx.logger.info({ code: isBillingError(err) ? err.code : undefined }, 'purchase from the balance refused');
    await ctx.reply(ctx.t(reason ? `client.promo.${reason}` : 'client.checkout.balanceShort'));
    return deps.screens.show(ctx, 'co', { fresh: true });
  }
  ctx.session.checkout = undefined;
  const sub = await deps.billing.subscriptions.getCurrent(ctx.customer.id);
  const date = sub?.endsAt ? formatDate(sub.endsAt, ctx.i18n.language, deps.timeZone) : '—';
  ctx.logger.info({ planId: checkout.planId }, 'plan bought from the balance');
  await ctx.reply(`${ctx.t('client.checkout.paidFromBalance', { date })}\n\n${note}`);
}
