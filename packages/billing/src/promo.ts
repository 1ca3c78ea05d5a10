import type { Plan, PromoCode, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { checkPromo, normalisePromoCode, type PromoCheck, type PromoRules } from './domain/promo-rules.js';
import { BillingError, promoErrorCode } from './errors.js';
import { holdsOf, type CheckoutRef } from './promo-hold.js';

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

/**
 * The promo as the rules see it with live holds counted: uses held by every open checkout but
 * `current` count as spent, and the customer's own open checkouts count as their redemptions, so
 * however many checkouts a customer opens, a code with a per-customer limit N is held (and paid)
 * at most N times, and a total limit M at most M.
 */
async function checkWithHolds(
  ctx: BillingContext,
  promo: PromoCode,
  input: { userId: number; plan: Plan; currency: string; now: Date; current: CheckoutRef },
  tx?: Transaction,
): Promise<PromoCheck> {
  const t = { transaction: tx };
  const holds = await holdsOf(ctx, promo.id, input.userId, input.current, tx);
  const userRedemptions = (await ctx.repos.promoCodes.countUserRedemptions(promo.id, input.userId, t)) + holds.own;
  return checkPromo(
    { ...toPromoRules(promo, input.plan), usedCount: promo.usesCount + holds.total },
    { planId: input.plan.id, currency: input.currency, now: input.now, userRedemptions },
  );
}

/** Checks `code` for `userId` buying `plan` paid in `currency` at `now`, live holds but `checkout`'s counted (no writes, no lock). */
export async function checkPromoFor(
  ctx: BillingContext,
  input: { code: string; userId: number; plan: Plan; currency: string; now: Date; checkout?: string | null },
  tx?: Transaction,
): Promise<PromoCheck> {
  const code = normalisePromoCode(input.code);
  const promo = code === '' ? null : await ctx.repos.promoCodes.findByCode(code, { transaction: tx });
  if (!promo) return checkPromo(null, { planId: input.plan.id, currency: input.currency, now: input.now, userRedemptions: 0 });
  return checkWithHolds(ctx, promo, { ...input, current: { checkout: input.checkout ?? null } }, tx);
}

/**
 * Makes the pending payment just inserted in `tx` hold a use of `promoId`: locks the code's row
 * (every checkout and redemption of the code queues here), then checks the code again with what
 * is spent and held counted, all seen after the lock. Refused → BillingError
 * `PROMO_<REASON>` and the caller's transaction (with the payment) rolls back: of N checkouts
 * racing for the last use, the first to get the lock holds it and the others are told `used_up`
 * (or `already_used`, when the customer's own open checkouts already hold their limit).
 */
export async function holdPromoUse(
  ctx: BillingContext,
  input: { promoId: number; userId: number; plan: Plan; currency: string; now: Date; current: CheckoutRef },
  tx: Transaction,
): Promise<void> {
  const locked = await ctx.repos.promoCodes.lockForHold(input.promoId, { transaction: tx });
  const check: PromoCheck = locked ? await checkWithHolds(ctx, locked, input, tx) : { ok: false, reason: 'unknown' };
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
     * `client.promo.<reason>`. `checkout`: the checkout it is typed in (see `CreatePaymentRequest.checkout`). Uses held by open checkouts (the customer's own too) count as used. Nothing is
     * held here: `createPendingPayment` holds a use, settlement spends it.
     * @throws BillingError `PLAN_NOT_FOUND` | `PLAN_INACTIVE`
     */
    async validatePromo(
      code: string,
      userId: number,
      planId: number,
      now: Date = ctx.now(),
      checkout?: string | null,
    ): Promise<PromoCheck> {
      const plan = await loadActivePlan(ctx, planId);
      return checkPromoFor(ctx, { code, userId, plan, currency: plan.currency, now, checkout });
    },
  };
}

export type PromoService = ReturnType<typeof createPromoService>;
