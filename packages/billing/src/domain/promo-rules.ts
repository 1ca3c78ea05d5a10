import type { PromoEffect } from './pricing.js';

/**
 * Why a promo code cannot be used. Stable strings: the client bot maps each to an i18n key
 * (`client.promo.<reason>`), the admin bot shows them in stats.
 */
export type PromoRefusal = 'unknown' | 'inactive' | 'not_started' | 'expired' | 'not_for_plan' | 'used_up' | 'already_used';

export type PromoKind = 'percent' | 'fixed' | 'days';

/** The promo code as the rules need it (a repository row maps onto this). */
export interface PromoRules {
  id: number;
  code: string;
  kind: PromoKind;
  /** percent: 1..100; fixed: minor units; days: whole days. */
  value: number;
  /** Currency of a `fixed` promo; ignored for the other kinds. */
  currency: string | null;
  active: boolean;
  validFrom: Date | null;
  validUntil: Date | null;
  /** Total uses allowed; null = unlimited. */
  maxUses: number | null;
  usedCount: number;
  /** Uses allowed per customer; null = unlimited. */
  perUserLimit: number | null;
  /** Plans it applies to; null or empty = every plan. */
  planIds: readonly number[] | null;
}

export interface PromoContext {
  planId: number;
  /** The currency the plan is being paid in (a fixed promo applies only in its own currency). */
  currency: string;
  now: Date;
  /** How many times this customer already redeemed this promo. */
  userRedemptions: number;
}

/** The finer cause behind a refusal, for logs and staff; customers see the `reason`. */
export type PromoRefusalDetail = 'currency_mismatch';

export type PromoCheck =
  | { ok: true; promo: PromoRules; effect: PromoEffect }
  /** `detail` `currency_mismatch`: a fixed amount in another currency than the one being paid in (`not_for_plan`). */
  | { ok: false; reason: PromoRefusal; detail?: PromoRefusalDetail };

/**
 * Checks a promo code against a purchase. Reasons are checked in a fixed order, from the
 * most permanent to the most personal, so a customer is told the thing they can act on:
 * unknown → inactive → not_started → expired → not_for_plan → used_up → already_used.
 * `validUntil` is exclusive: a code valid until 00:00 is expired at 00:00.
 */
export function checkPromo(promo: PromoRules | null | undefined, ctx: PromoContext): PromoCheck {
  if (!promo) return { ok: false, reason: 'unknown' };
  if (!promo.active) return { ok: false, reason: 'inactive' };
  const now = ctx.now.getTime();
  if (promo.validFrom && now < promo.validFrom.getTime()) return { ok: false, reason: 'not_started' };
  if (promo.validUntil && now >= promo.validUntil.getTime()) return { ok: false, reason: 'expired' };
  if (promo.planIds && promo.planIds.length > 0 && !promo.planIds.includes(ctx.planId)) {
    return { ok: false, reason: 'not_for_plan' };
  }
  if (promo.kind === 'fixed' && promo.currency !== ctx.currency) return { ok: false, reason: 'not_for_plan', detail: 'currency_mismatch' };
  if (promo.maxUses !== null && promo.usedCount >= promo.maxUses) return { ok: false, reason: 'used_up' };
  if (promo.perUserLimit !== null && ctx.userRedemptions >= promo.perUserLimit) return { ok: false, reason: 'already_used' };
  return { ok: true, promo, effect: promoEffect(promo) };
}

/** What a promo does to a price; its value is clamped to the sane range of its kind. */
export function promoEffect(promo: Pick<PromoRules, 'kind' | 'value' | 'currency'>): PromoEffect {
  switch (promo.kind) {
    case 'percent':
      return { kind: 'percent', percent: Math.min(Math.max(Math.trunc(promo.value), 0), 100) };
    case 'fixed':
      return { kind: 'fixed', amountMinor: Math.max(Math.trunc(promo.value), 0), currency: promo.currency ?? '' };
    case 'days':
      return { kind: 'days', days: Math.max(Math.trunc(promo.value), 1) };
  }
}

/** Normalises what a customer typed: trimmed, upper-case, inner spaces removed. */
export function normalisePromoCode(input: string): string {
  return input.trim().replace(/\s+/g, '').toUpperCase();
}
