import { isBillingError, offeredPlan, planOffer, savingAgainst, type Quote } from '@vpn/billing';
import type { Plan } from '@vpn/db';
import type { ClientContext } from '../../context.js';
import { formatMoney } from '../../ui/format.js';
import { once } from '../../ui/memo.js';
import type { FeatureDeps } from '../feature-deps.js';
import { balanceUse } from './balance-pay.js';
import { cardSaveChoice, cardSaveShown } from './card-save.js';
import { planTitle } from './plans.js';

/** The quote of the session's checkout, in the plan's currency and in Stars (when the plan has a Stars price). */
export interface CheckoutQuotes {
  main: Quote;
  stars: Quote | null;
}

/** Quotes the session's checkout; null when there is none or the plan is no longer on sale. */
export function checkoutQuotes(ctx: ClientContext, deps: FeatureDeps): Promise<CheckoutQuotes | null> {
  return once(ctx, 'quotes', async () => {
    const checkout = ctx.session.checkout;
    if (!checkout) return null;
    const request = { userId: ctx.customer.id, planId: checkout.planId, promoCode: checkout.promo ?? null, checkout: checkout.nonce };
    try {
      // The price shown comes from the checkout's offer (the cached plan as the list showed it);
      // billing makes the payment on the same offer, whatever an admin changed since.
      const cached = await deps.catalog.plan(checkout.planId);
      const plan = cached && offered(ctx, deps, cached);
      const main = await deps.billing.pricing.quote(request, { plan });
      const stars =
        main.plan.priceStars !== null && (await deps.methods.offered()).includes('stars')
          ? await deps.billing.pricing.quote({ ...request, provider: 'stars' }, { plan: main.plan })
          : null;
      return { main, stars };
    } catch (err) {
      if (isBillingError(err, 'PLAN_NOT_FOUND', 'PLAN_INACTIVE')) return null;
      throw err;
    }
  });
}

/**
 * The plan as the session's checkout shows it: its offer's terms while billing keeps them; an
 * offer past that (or none) is made anew from `cached`, so the screen shows what will be paid.
 */
function offered(ctx: ClientContext, deps: FeatureDeps, cached: Plan): Plan {
  const checkout = ctx.session.checkout;
  if (!checkout) return cached;
  try {
    if (checkout.offer) return offeredPlan(cached, checkout.offer, deps.now());
  } catch (err) {
    if (!isBillingError(err, 'PLAN_CHANGED', 'INVALID_INPUT')) throw err;
  }
  checkout.offer = planOffer(cached, deps.now());
  return cached;
}

/** The checkout screen: plan, discounts, promo effect, total, then "choose how to pay". */
export async function checkoutText(ctx: ClientContext, deps: FeatureDeps): Promise<string> {
  const quotes = await checkoutQuotes(ctx, deps);
  if (!quotes) return ctx.t('client.buy.planGone');
  const { plan, price, promo } = quotes.main;
  const lng = ctx.i18n.language;
  const money = (minor: number) => formatMoney(minor, price.currency, lng);
  const lines = [ctx.t('client.checkout.title', { plan: planTitle(ctx, plan), count: plan.durationDays })];
  lines.push(ctx.t('client.checkout.listPrice', { price: money(price.listPriceMinor) }));
  // The saving is already in the price: shown, never subtracted.
  const saving = savingAgainst(plan, await deps.catalog.plans());
  if (saving && saving.percent > 0)
    lines.push(ctx.t('client.checkout.periodSaving', { amount: money(saving.amountMinor), percent: saving.percent }));
  const { conversion } = quotes.main;
  if (conversion) {
    const days = (count: number) => ctx.t('common.units.days', { count });
    const from = conversion.fromPlan ? planTitle(ctx, conversion.fromPlan) : '—';
    const converted = { remaining: days(conversion.remainingDays), converted: days(conversion.convertedDays) };
    lines.push(ctx.t('client.checkout.conversion', { from, to: planTitle(ctx, plan), ...converted }));
  }
  const code = ctx.session.checkout?.promo;
  if (promo?.ok && code) {
    if (price.promoDiscountMinor > 0) lines.push(ctx.t('client.checkout.promoDiscount', { code, amount: money(price.promoDiscountMinor) }));
    if (price.promoDays > 0) lines.push(ctx.t('client.checkout.promoDays', { code, count: price.promoDays }));
  } else if (promo && !promo.ok && code) {
    lines.push(ctx.t(`client.promo.${promo.reason}`));
  }
  lines.push(ctx.t('client.checkout.total', { amount: money(price.amountMinor) }));
  const balance = await balanceUse(ctx, deps);
  if (balance) lines.push(ctx.t('client.checkout.balance', { amount: money(balance.balanceMinor) }));
  if (balance?.kind === 'part' && balance.ticked)
    lines.push(
      ctx.t('client.checkout.balancePart', { part: money(balance.balanceMinor), rest: money(price.amountMinor - balance.balanceMinor) }),
    );
  if (quotes.stars) lines.push(ctx.t('client.checkout.totalStars', { amount: formatMoney(quotes.stars.price.amountMinor, 'XTR', lng) }));
  // Said plainly: whether a card payment saves the card for automatic renewal.
  if (await cardSaveShown(ctx, deps))
    lines.push(ctx.t((await cardSaveChoice(ctx, deps)).ticked ? 'client.checkout.cardSaved' : 'client.checkout.cardNotSaved'));
  lines.push('', ctx.t('client.checkout.chooseMethod'));
  return lines.join('\n');
}
