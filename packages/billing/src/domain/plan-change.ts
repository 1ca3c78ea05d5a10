import { DAY_MS } from './subscription-dates.js';

/** What a plan's paid time is worth, as {@link convertedDays} compares two plans. */
export interface PlanValue {
  durationDays: number;
  priceMinor: number;
  currency: string;
  priceStars: number | null;
}

/**
 * A subscription has one plan at a time (invariant 6). Buying another plan while one is running
 * converts the remaining paid time into days of the new plan at the two plans' prices per day, in
 * one currency: `remaining days × old price per day ÷ new price per day`, rounded down to a whole
 * day. The plans' own currency when they share it, else their Stars prices; plans with no common
 * price keep their days (nothing to compare them by). Integer math (BigInt: ms × price × days
 * overflows a double's exact range).
 */
export function convertedDays(remainingMs: number, from: PlanValue, to: PlanValue): number {
  if (remainingMs <= 0) return 0;
  const prices: [number, number] | null =
    from.currency === to.currency
      ? [from.priceMinor, to.priceMinor]
      : from.priceStars !== null && to.priceStars !== null
        ? [from.priceStars, to.priceStars]
        : null;
  if (!prices || prices[0] <= 0 || prices[1] <= 0) return Math.floor(remainingMs / DAY_MS);
  const value = BigInt(Math.floor(remainingMs)) * BigInt(prices[0]) * BigInt(to.durationDays);
  const perNewDay = BigInt(DAY_MS) * BigInt(from.durationDays) * BigInt(prices[1]);
  return Number(value / perNewDay);
}
