import type { Plan, PromoCode, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { checkPromo, normalisePromoCode, type PromoCheck, type PromoRules } from './domain/promo-rules.js';
import { BillingError } from './errors.js';

/**
 * Promo codes as the rules see them. A `fixed` promo's value is in minor units of its own
 * `currency` (`promo_codes.currency`; codes made before that column existed mean the plan's
 * currency). Paying in any other currency (another plan's, Telegram Stars) is refused as
 * `not_for_plan` with `detail: 'currency_mismatch'`.
 */
export function toPromoRules(promo: PromoCode, plan: Pick<Plan, 'currency'>): PromoRules {
  return {
    id: promo.id,
    code: promo.code,
    kind: promo.kind,
    value: promo.value,
    currency: promo.kind === 'fixed' ? (promo.currency ?? plan.currency) : null,
    active: promo.active,
    validFrom: promo.validFrom,
    validUntil: promo.validUntil,
    maxUses: promo.maxUses,
    usedCount: promo.usesCount,
    perUserLimit: promo.perUserLimit,
    planIds: promo.planIds,
  };
}

/** Checks `code` for `userId` buying `plan` paid in `currency` at `now` (no writes). */
export async function checkPromoFor(
  ctx: BillingContext,
  input: { code: string; userId: number; plan: Plan; currency: string; now: Date },
  tx?: Transaction,
): Promise<PromoCheck> {
  const t = { transaction: tx };
  const code = normalisePromoCode(input.code);
  const promo = code === '' ? null : await ctx.repos.promoCodes.findByCode(code, t);
  const userRedemptions = promo ? await ctx.repos.promoCodes.countUserRedemptions(promo.id, input.userId, t) : 0;
  return checkPromo(promo && toPromoRules(promo, input.plan), {
    planId: input.plan.id,
    currency: input.currency,
    now: input.now,
    userRedemptions,
  });
}

/** Loads a plan, refusing a missing (`PLAN_NOT_FOUND`) or withdrawn (`PLAN_INACTIVE`) one. */
export async function loadActivePlan(ctx: BillingContext, planId: number, tx?: Transaction): Promise<Plan> {
  const plan = await ctx.repos.plans.get(planId, { transaction: tx });
  if (!plan) throw new BillingError('PLAN_NOT_FOUND', `plan ${planId} not found`, { planId });
  if (!plan.active) throw new BillingError('PLAN_INACTIVE', `plan ${planId} is not on sale`, { planId });
  return plan;
}

export function createPromoService(ctx: BillingContext) {
  return {
    /**
     * Whether `code` can be used by `userId` for `planId` at `now`: `{ ok: true, promo, effect }`
     * or `{ ok: false, reason }` with a stable reason (`unknown`, `inactive`, `not_started`,
     * `expired`, `not_for_plan`, `used_up`, `already_used`) the client bot maps to
     * `client.promo.<reason>`. Nothing is reserved: the use is spent when the payment settles.
     * @throws BillingError `PLAN_NOT_FOUND` | `PLAN_INACTIVE`
     */
    async validatePromo(code: string, userId: number, planId: number, now: Date = ctx.now()): Promise<PromoCheck> {
      const plan = await loadActivePlan(ctx, planId);
      return checkPromoFor(ctx, { code, userId, plan, currency: plan.currency, now });
    },
  };
}

export type PromoService = ReturnType<typeof createPromoService>;
