import type { Plan, PromoCode, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { checkPromo, normalisePromoCode, type PromoCheck, type PromoRules } from './domain/promo-rules.js';
import { BillingError, promoErrorCode } from './errors.js';
import { heldByOthers } from './promo-hold.js';

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

/** Checks `code` for `userId` buying `plan` paid in `currency` at `now`, holds by others counted as used (no writes, no lock). */
export async function checkPromoFor(
  ctx: BillingContext,
  input: { code: string; userId: number; plan: Plan; currency: string; now: Date },
  tx?: Transaction,
): Promise<PromoCheck> {
  const t = { transaction: tx };
  const code = normalisePromoCode(input.code);
  const promo = code === '' ? null : await ctx.repos.promoCodes.findByCode(code, t);
  const userRedemptions = promo ? await ctx.repos.promoCodes.countUserRedemptions(promo.id, input.userId, t) : 0;
  // Uses other customers hold at checkout count as spent: they are told `used_up` now, not after paying.
  const held = promo && promo.maxUses !== null ? await heldByOthers(ctx, promo.id, input.userId, tx) : 0;
  return checkPromo(promo && { ...toPromoRules(promo, input.plan), usedCount: promo.usesCount + held }, {
    planId: input.plan.id,
    currency: input.currency,
    now: input.now,
    userRedemptions,
  });
}

/**
 * Makes the pending payment just inserted in `tx` hold a use of `promoId`: locks the code's row
 * (every checkout and redemption of the code queues here), then checks the code again with what
 * is spent and held by others counted, all seen after the lock. Refused → BillingError
 * `PROMO_<REASON>` and the caller's transaction (with the payment) rolls back: of N customers
 * racing for the last use, the first to get the lock holds it and the others are told `used_up`.
 */
export async function holdPromoUse(
  ctx: BillingContext,
  input: { promoId: number; userId: number; plan: Plan; currency: string; now: Date },
  tx: Transaction,
): Promise<void> {
  const locked = await ctx.repos.promoCodes.lockForHold(input.promoId, { transaction: tx });
  const t = { transaction: tx };
  const check: PromoCheck = locked
    ? checkPromo(
        {
          ...toPromoRules(locked, input.plan),
          usedCount: locked.usesCount + (locked.maxUses === null ? 0 : await heldByOthers(ctx, locked.id, input.userId, tx)),
        },
        {
          planId: input.plan.id,
          currency: input.currency,
          now: input.now,
          userRedemptions: await ctx.repos.promoCodes.countUserRedemptions(locked.id, input.userId, t),
        },
      )
    : { ok: false, reason: 'unknown' };
  if (check.ok) return;
  throw new BillingError(promoErrorCode(check.reason), `promo code refused: ${check.reason}`, {
    reason: check.reason,
    promoCodeId: input.promoId,
  });
}

/** Loads a plan, refusing a missing (`PLAN_NOT_FOUND`) or withdrawn (`PLAN_INACTIVE`) one. */
export async function loadActivePlan(ctx: BillingContext, planId: number, tx?: Transaction): Promise<Plan> {
  return onSale(await ctx.repos.plans.get(planId, { transaction: tx }), planId);
}

/** `plan` when it exists and is on sale. */
export function onSale(plan: Plan | null, planId: number): Plan {
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
     * `client.promo.<reason>`. Uses held by other customers' checkouts count as used. Nothing is
     * held here: `createPendingPayment` holds a use, settlement spends it.
     * @throws BillingError `PLAN_NOT_FOUND` | `PLAN_INACTIVE`
     */
    async validatePromo(code: string, userId: number, planId: number, now: Date = ctx.now()): Promise<PromoCheck> {
      const plan = await loadActivePlan(ctx, planId);
      return checkPromoFor(ctx, { code, userId, plan, currency: plan.currency, now });
    },
  };
}

export type PromoService = ReturnType<typeof createPromoService>;
