import type { PaymentProvider, Plan } from '@vpn/db';
import type { BillingContext } from './context.js';
import { computePrice, planSaving, type PeriodSaving, type PriceQuote } from './domain/pricing.js';
import type { PromoCheck } from './domain/promo-rules.js';
import { BillingError } from './errors.js';
import { checkPromoFor, loadActivePlan, onSale } from './promo.js';
import { conversionOf, converts } from './plan-change.js';
import { DAY_MS } from './domain/subscription-dates.js';

export const STARS_CURRENCY = 'XTR';

export interface QuoteRequest {
  userId: number;
  planId: number;
  /** `stars` prices the plan in Telegram Stars (`plans.price_stars`); others in `plans.currency`. */
  provider?: PaymentProvider;
  promoCode?: string | null;
  /** The checkout this quote is for (see `CreatePaymentRequest.checkout`): its own hold is not counted against it. */
  checkout?: string | null;
}

export interface Quote {
  plan: Plan;
  price: PriceQuote;
  /** null when no code was given; a refused code leaves the price undiscounted. */
  promo: PromoCheck | null;
  /**
   * The customer has another plan running: its remaining time (`remainingDays`, whole days shown)
   * becomes `convertedDays` of this plan before the plan's days are added (see `convertedDays`).
   */
  conversion: { fromPlan: Plan | null; remainingDays: number; convertedDays: number } | null;
}

/** The list price and currency of `plan` for `provider`. */
export function listPrice(plan: Plan, provider?: PaymentProvider): { listPriceMinor: number; currency: string } {
  if (provider === 'stars') {
    if (plan.priceStars === null) {
      throw new BillingError('INVALID_INPUT', `plan ${plan.id} has no price in Telegram Stars`, { planId: plan.id });
    }
    return { listPriceMinor: plan.priceStars, currency: STARS_CURRENCY };
  }
  return { listPriceMinor: plan.priceMinor, currency: plan.currency };
}

/**
 * What `plan` saves against the shortest plan on sale in the same currency (or in Stars, for
 * `stars`), over the plan's days: derived from the prices, for the plan list and the checkout.
 */
export function savingAgainst(plan: Plan, plans: readonly Plan[], provider?: PaymentProvider): PeriodSaving | null {
  const priced = (p: Plan) => (provider === 'stars' ? p.priceStars !== null : p.currency === plan.currency);
  if (!priced(plan)) return null;
  const reference = plans
    .filter((p) => p.active && priced(p))
    .reduce<Plan | null>((best, p) => (best === null || p.durationDays < best.durationDays ? p : best), null);
  const price = (p: Plan) => ({ priceMinor: listPrice(p, provider).listPriceMinor, durationDays: p.durationDays });
  return reference ? planSaving(price(plan), price(reference)) : null;
}

/** The quote for `req` at the clock's now: the one path from a plan and a code to a price. */
export async function quoteFor(
  ctx: BillingContext,
  req: QuoteRequest,
  held?: Plan | null,
  options: { conversion?: boolean } = {},
): Promise<Quote> {
  const plan = held === undefined ? await loadActivePlan(ctx, req.planId) : onSale(held, req.planId);
  const { listPriceMinor, currency } = listPrice(plan, req.provider);
  const promo = req.promoCode
    ? await checkPromoFor(ctx, { code: req.promoCode, userId: req.userId, plan, currency, now: ctx.now(), checkout: req.checkout })
    : null;
  const { minChargeMinor } = await ctx.settings();
  const price = computePrice({
    listPriceMinor,
    currency,
    durationDays: plan.durationDays,
    promo: promo?.ok ? promo.effect : null,
    minChargeMinor,
  });
  return { plan, price, promo, conversion: options.conversion === false ? null : await conversionQuote(ctx, req.userId, plan) };
}

/** What buying `plan` would convert of the customer's running subscription now (see `Quote.conversion`). */
async function conversionQuote(ctx: BillingContext, userId: number, plan: Plan): Promise<Quote['conversion']> {
  const now = ctx.now();
  const current = await ctx.repos.subscriptions.getCurrentForUser(userId);
  if (!current || !converts(current, plan, now)) return null;
  const fromPlan = await ctx.repos.plans.get(current.planId);
  const { remainingMs, convertedDays } = conversionOf(current, fromPlan, plan, now);
  return { fromPlan, remainingDays: Math.floor(remainingMs / DAY_MS), convertedDays };
}

export function createPricingService(ctx: BillingContext) {
  return {
    /**
     * What `userId` would pay for `planId` now (the checkout screen). Both `priceMinor` and
     * `priceStars` are final prices before a promo code (see {@link savingAgainst} for the saving shown).
     * `plan`: the plan as the caller already holds it (a screen's cache), so showing a price
     * costs no read; the payment itself is always priced from the stored plan (the ledger).
     * @throws BillingError `PLAN_NOT_FOUND` | `PLAN_INACTIVE` | `INVALID_INPUT`
     */
    async quote(req: QuoteRequest, options: { plan?: Plan | null } = {}): Promise<Quote> {
      if (options.plan !== undefined && options.plan !== null && options.plan.id !== req.planId) {
        throw new BillingError('INVALID_INPUT', `plan ${options.plan.id} given for a quote of plan ${req.planId}`, { planId: req.planId });
      }
      return quoteFor(ctx, req, options.plan);
    },
  };
}

export type PricingService = ReturnType<typeof createPricingService>;
