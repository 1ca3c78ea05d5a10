import { savingAgainst } from '@vpn/billing';
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

/**
 * A plan's prices for people (`549 ₽ / 420 ⭐`): what it costs before a promo code, or with
 * `of: 'reference'` what the shortest plan would cost over the same days (the struck-through
 * price; a currency without a saving shows its own price).
 */
function prices(ctx: ClientContext, plan: Plan, plans: readonly Plan[], of: 'reference' | 'pay'): string {
  const lng = ctx.i18n.language;
  const main = of === 'reference' ? (savingAgainst(plan, plans)?.referenceMinor ?? plan.priceMinor) : plan.priceMinor;
  const stars =
    plan.priceStars === null
      ? null
      : of === 'reference'
        ? (savingAgainst(plan, plans, 'stars')?.referenceMinor ?? plan.priceStars)
        : plan.priceStars;
  return stars === null
    ? formatMoney(Number(main), plan.currency, lng)
    : `${formatMoney(Number(main), plan.currency, lng)} / ${formatMoney(stars, 'XTR', lng)}`;
}

/**
 * One line of the plan list: name, price, and for a long plan the shortest plan's price over the
 * same days struck through with the saving (derived from the prices; the price is what is paid).
 */
export function planLine(ctx: ClientContext, plan: Plan, plans: readonly Plan[]): string {
  const saving = savingAgainst(plan, plans);
  if (!saving || saving.percent <= 0)
    return ctx.t('client.buy.planLine', { plan: planTitle(ctx, plan), price: prices(ctx, plan, plans, 'pay') });
  return ctx.t('client.buy.planLineDiscounted', {
    plan: planTitle(ctx, plan),
    list: prices(ctx, plan, plans, 'reference'),
    price: prices(ctx, plan, plans, 'pay'),
    percent: saving.percent,
  });
}

/** The plan's button label: name and what it costs. */
export function planButton(ctx: ClientContext, plan: Plan): string {
  const pay = formatMoney(Number(plan.priceMinor), plan.currency, ctx.i18n.language);
  return label(ctx.t('client.buy.planButton', { plan: planTitle(ctx, plan), price: pay }));
}
