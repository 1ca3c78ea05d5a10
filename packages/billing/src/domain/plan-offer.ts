import type { Plan } from '@vpn/db';
import { BillingError } from '../errors.js';

/**
 * How long a checkout keeps the plan's terms it opened with after an admin changed them: long
 * enough to pay for what was on screen, short enough that a new price reaches every customer
 * within the hour. Past it, a checkout whose terms changed is refused (`PLAN_CHANGED`) and shows
 * the new ones before anything is paid.
 */
export const PLAN_OFFER_TTL_MS = 3_600_000;

/** The terms of a plan that a checkout keeps (what the customer is shown and what settlement grants). */
const TERMS = ['priceMinor', 'currency', 'priceStars', 'durationDays', 'trafficLimitBytes', 'deviceLimit'] as const;

/**
 * A plan's terms as a customer was shown them when their checkout opened (`planOffer`), kept by
 * the bot with the checkout and handed back with the payment: an admin's edit in between changes
 * nothing the customer agreed to (see {@link offeredPlan}).
 */
export type PlanOffer = Pick<Plan, (typeof TERMS)[number]> & {
  planId: number;
  /** When it was shown (ms since the epoch). */
  shownAt: number;
};

/** The offer of `plan` as shown at `now`. */
export function planOffer(plan: Plan, now: Date): PlanOffer {
  const terms = Object.fromEntries(TERMS.map((k) => [k, plan[k]])) as Pick<Plan, (typeof TERMS)[number]>;
  return { planId: plan.id, ...terms, shownAt: now.getTime() };
}

/** Whether `offer` says what `plan` says now. */
export function offerMatches(plan: Plan, offer: PlanOffer): boolean {
  return TERMS.every((k) => plan[k] === offer[k]);
}

const count = (v: unknown, min: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const limit = (v: unknown, min: number) => v === null || count(v, min);

/**
 * The plan a checkout pays for: `stored` (on sale, loaded by the caller) with the terms of
 * `offer`, the customer's checkout, when it has one. The same terms, or none: `stored`. Other
 * terms within {@link PLAN_OFFER_TTL_MS} of being shown: the offer's (the admin's edit applies
 * from the next checkout). Other terms and older: `PLAN_CHANGED` (the customer is shown the new
 * ones first). An offer of another plan or malformed: `INVALID_INPUT`.
 * @throws BillingError `PLAN_CHANGED` | `INVALID_INPUT`
 */
export function offeredPlan(stored: Plan, offer: PlanOffer | null | undefined, now: Date): Plan {
  if (!offer || offerMatches(stored, offer)) return stored;
  const wellFormed =
    offer.planId === stored.id &&
    count(offer.priceMinor, 0) &&
    typeof offer.currency === 'string' &&
    /^[A-Z]{3}$/.test(offer.currency) &&
    limit(offer.priceStars, 1) &&
    count(offer.durationDays, 1) &&
    limit(offer.trafficLimitBytes, 1) &&
    limit(offer.deviceLimit, 1) &&
    count(offer.shownAt, 0) &&
    offer.shownAt <= now.getTime();
  if (!wellFormed) throw new BillingError('INVALID_INPUT', `a malformed offer of plan ${stored.id}`, { planId: stored.id });
  if (now.getTime() - offer.shownAt > PLAN_OFFER_TTL_MS)
    throw new BillingError('PLAN_CHANGED', `plan ${stored.id} changed since the checkout opened`, { planId: stored.id });
  const terms = Object.fromEntries(TERMS.map((k) => [k, offer[k]])) as Pick<Plan, (typeof TERMS)[number]>;
  return { ...stored, ...terms };
}
