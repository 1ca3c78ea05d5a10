import { computePrice } from '@vpn/billing';
import type { Plan } from '@vpn/db';
import type { ClientContext } from '../../context.js';
import { formatMoney, label } from '../../ui/format.js';
import type { FeatureDeps } from '../feature-deps.js';

/** The plans on sale (from the catalog cache). */
export function activePlans(_ctx: ClientContext, deps: FeatureDeps): Promise<Plan[]> {
  return deps.catalog.plans();
}

/** The plan's name in the customer's language. */
export const planTitle = (ctx: ClientContext, plan: Plan): string => plan.title[ctx.i18n.language];

/** What a plan costs before any promo code, by billing's own rule (list price less the period discount). */
function price(plan: Plan, listPriceMinor: number, currency: string): number {
  return computePrice({ listPriceMinor, currency, periodDiscountPercent: plan.discountPercent, durationDays: plan.durationDays })
    .amountMinor;
}

/** The price (and the Stars price) of a plan for people: `505,08 ₽ / 386 ⭐`. */
function prices(ctx: ClientContext, plan: Plan, of: 'list' | 'pay'): string {
  const lng = ctx.i18n.language;
  const main = of === 'list' ? Number(plan.priceMinor) : price(plan, Number(plan.priceMinor), plan.currency);
  const stars = plan.priceStars === null ? null : of === 'list' ? plan.priceStars : price(plan, plan.priceStars, 'XTR');
  return stars === null
    ? formatMoney(main, plan.currency, lng)
    : `${formatMoney(main, plan.currency, lng)} / ${formatMoney(stars, 'XTR', lng)}`;
}

/** One line of the plan list: name, price (the list price struck through when discounted), the saving. */
export function planLine(ctx: ClientContext, plan: Plan): string {
  if (plan.discountPercent <= 0) return ctx.t('client.buy.planLine', { plan: planTitle(ctx, plan), price: prices(ctx, plan, 'pay') });
  return ctx.t('client.buy.planLineDiscounted', {
    plan: planTitle(ctx, plan),
    list: prices(ctx, plan, 'list'),
    price: prices(ctx, plan, 'pay'),
    percent: plan.discountPercent,
  });
}

/** The plan's button label: name and what it costs. */
export function planButton(ctx: ClientContext, plan: Plan): string {
  const pay = formatMoney(price(plan, Number(plan.priceMinor), plan.currency), plan.currency, ctx.i18n.language);
  return label(ctx.t('client.buy.planButton', { plan: planTitle(ctx, plan), price: pay }));
}
