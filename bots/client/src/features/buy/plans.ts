import type { Plan } from '@vpn/db';
import type { ClientContext } from '../../context.js';
import { formatMoney, label } from '../../ui/format.js';
import { once } from '../../ui/memo.js';
import type { FeatureDeps } from '../feature-deps.js';

/** The plans on sale (read once per update). */
export function activePlans(ctx: ClientContext, deps: FeatureDeps): Promise<Plan[]> {
  return once(ctx, 'plans', () => deps.db.repos.plans.listActive());
}

/** The plan's name in the customer's language. */
export const planTitle = (ctx: ClientContext, plan: Plan): string => plan.title[ctx.i18n.language];

/** One line of the plan list: name, price, the saving against the monthly price. */
export function planLine(ctx: ClientContext, plan: Plan): string {
  const price = formatMoney(Number(plan.priceMinor), plan.currency, ctx.i18n.language);
  const stars = plan.priceStars === null ? '' : ` / ${formatMoney(plan.priceStars, 'XTR', ctx.i18n.language)}`;
  const line = ctx.t('client.buy.planLine', { plan: planTitle(ctx, plan), price: `${price}${stars}` });
  return plan.discountPercent > 0 ? `${line} ${ctx.t('client.buy.saving', { percent: plan.discountPercent })}` : line;
}

/** The plan's button label: name and price. */
export function planButton(ctx: ClientContext, plan: Plan): string {
  return label(ctx.t('client.buy.planButton', { plan: planTitle(ctx, plan), price: formatMoney(Number(plan.priceMinor), plan.currency, ctx.i18n.language) }));
}
