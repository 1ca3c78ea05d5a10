/**
 * The ONE place the price a customer pays is computed. Integer math only, in minor units
 * (kopecks, cents, stars); no floats ever touch an amount.
 *
 * A plan's price is final: it already carries any saving of a long period (3 months 549 ₽
 * against 3 × 199 ₽). That saving is derived from the prices and shown ({@link planSaving}),
 * never subtracted again. Order of application, each step on the result of the previous one:
 *   1. a promo code on the plan's price: a percent of it, or a fixed amount in the same currency;
 *   2. the floor: never below `minChargeMinor` (default 1 minor unit) unless the list price
 *      itself is lower (a free plan stays free).
 *
 * Rounding: a percent discount is rounded DOWN to the whole minor unit (`floor`), so the price
 * paid is rounded up; 10 % of 9 999 is 999, not 999.9. This is stated once here and tested.
 *
 * Why the floor is 1 and not 0: every grant of paid access goes through the ledger and a payment
 * provider, and none of them can charge zero. A "100 %" promo therefore costs 1 minor unit;
 * free access is what `days` promo codes and trials are for.
 */

/** What a promo code does to a purchase, once validated. */
export type PromoEffect =
  { kind: 'percent'; percent: number } | { kind: 'fixed'; amountMinor: number; currency: string } | { kind: 'days'; days: number };

export interface PriceInput {
  listPriceMinor: number;
  currency: string;
  durationDays: number;
  promo?: PromoEffect | null;
  /** Smallest amount a provider can charge; defaults to {@link DEFAULT_MIN_CHARGE_MINOR}. */
  minChargeMinor?: number;
}

export interface PriceQuote {
  currency: string;
  listPriceMinor: number;
  /** The promo discount actually applied (after the floor). */
  promoDiscountMinor: number;
  /** What the customer pays. */
  amountMinor: number;
  /** The plan's days plus any `days` promo. */
  days: number;
  /** Days added by a `days` promo (0 otherwise). */
  promoDays: number;
}

export const DEFAULT_MIN_CHARGE_MINOR = 1;

/** Largest amount we accept: `amount * 100` must stay a safe integer for the percent math. */
export const MAX_AMOUNT_MINOR = Math.floor(Number.MAX_SAFE_INTEGER / 100);

/** `percent` of `amountMinor`, rounded down to a whole minor unit. */
export function percentOf(amountMinor: number, percent: number): number {
  assertAmount(amountMinor, 'amountMinor');
  assertPercent(percent, 'percent');
  return Math.floor((amountMinor * percent) / 100);
}

/** Computes the price a customer pays for one plan period, with an optional promo effect. */
export function computePrice(input: PriceInput): PriceQuote {
  const { listPriceMinor, currency, durationDays } = input;
  assertAmount(listPriceMinor, 'listPriceMinor');
  assertPositiveInt(durationDays, 'durationDays');
  const minCharge = input.minChargeMinor ?? DEFAULT_MIN_CHARGE_MINOR;
  assertAmount(minCharge, 'minChargeMinor');

  const afterPeriod = listPriceMinor;
  const floor = Math.min(listPriceMinor, minCharge);

  let wantedPromoDiscount = 0;
  let promoDays = 0;
  const promo = input.promo;
  if (promo?.kind === 'percent') {
    wantedPromoDiscount = percentOf(afterPeriod, promo.percent);
  } else if (promo?.kind === 'fixed') {
    assertAmount(promo.amountMinor, 'promo.amountMinor');
    if (promo.currency !== currency) {
      throw new RangeError(`a fixed promo in ${promo.currency} cannot discount a price in ${currency}`);
    }
    wantedPromoDiscount = promo.amountMinor;
  } else if (promo?.kind === 'days') {
    assertPositiveInt(promo.days, 'promo.days');
    promoDays = promo.days;
  }

  const amountMinor = Math.max(afterPeriod - wantedPromoDiscount, floor);
  const promoDiscountMinor = Math.max(afterPeriod - amountMinor, 0);
  return {
    currency,
    listPriceMinor,
    promoDiscountMinor,
    amountMinor,
    days: durationDays + promoDays,
    promoDays,
  };
}

/** A plan's price and period, as {@link planSaving} compares them. */
export interface PricedPeriod {
  priceMinor: number;
  durationDays: number;
}

/** What a long plan saves against buying the shortest plan over the same days; display only. */
export interface PeriodSaving {
  /** The shortest plan's price over this plan's period (what "without the saving" costs). */
  referenceMinor: number;
  /** `referenceMinor - price`, > 0. */
  amountMinor: number;
  /** Whole percent of `referenceMinor`, rounded to the nearest (549 against 597 is 8 %). */
  percent: number;
}

/**
 * The saving of `plan` against `reference` (the shortest plan in the same currency) over the
 * plan's days; null when there is none (the plan is the reference, or not cheaper per day).
 * Derived from the two prices and shown to customers, never applied to what they pay.
 */
export function planSaving(plan: PricedPeriod, reference: PricedPeriod | null): PeriodSaving | null {
  if (!reference || reference.durationDays >= plan.durationDays || reference.priceMinor <= 0) return null;
  // A plan of (about) n reference periods is compared with n reference prices, as customers count
  // (12 months: 12 × 199 ₽, though 365 days are not 12 × 30); any other length by its days.
  const periods = Math.round(plan.durationDays / reference.durationDays);
  const whole = Math.abs(plan.durationDays - periods * reference.durationDays) * 50 <= plan.durationDays;
  const referenceMinor = whole
    ? reference.priceMinor * periods
    : Math.round((reference.priceMinor * plan.durationDays) / reference.durationDays);
  const amountMinor = referenceMinor - plan.priceMinor;
  if (amountMinor <= 0) return null;
  const percent = Math.round((amountMinor * 100) / referenceMinor);
  return { referenceMinor, amountMinor, percent };
}

function assertAmount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_AMOUNT_MINOR) {
    throw new RangeError(`${name} must be an integer number of minor units in 0..${MAX_AMOUNT_MINOR}, got ${value}`);
  }
}

function assertPercent(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    throw new RangeError(`${name} must be an integer percent in 0..100, got ${value}`);
  }
}

function assertPositiveInt(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}
