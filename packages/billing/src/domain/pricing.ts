/**
 * The ONE place the price a customer pays is computed. Integer math only, in minor units
 * (kopecks, cents, stars); no floats ever touch an amount.
 *
 * Order of application, each step on the result of the previous one:
 *   1. the plan's period discount (`discount_percent`, e.g. 3 months −10 %) on the list price;
 *   2. a promo code: a percent of what is left, or a fixed amount in the same currency;
 *   3. the floor: never below `minChargeMinor` (default 1 minor unit) unless the list price
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
  /** The plan's discount for its period, 0..100. */
  periodDiscountPercent: number;
  durationDays: number;
  promo?: PromoEffect | null;
  /** Smallest amount a provider can charge; defaults to {@link DEFAULT_MIN_CHARGE_MINOR}. */
  minChargeMinor?: number;
}

export interface PriceQuote {
  currency: string;
  listPriceMinor: number;
  periodDiscountMinor: number;
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
  const { listPriceMinor, currency, periodDiscountPercent, durationDays } = input;
  assertAmount(listPriceMinor, 'listPriceMinor');
  assertPositiveInt(durationDays, 'durationDays');
  const minCharge = input.minChargeMinor ?? DEFAULT_MIN_CHARGE_MINOR;
  assertAmount(minCharge, 'minChargeMinor');

  const periodDiscountMinor = percentOf(listPriceMinor, periodDiscountPercent);
  const afterPeriod = listPriceMinor - periodDiscountMinor;
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
  // The promo gets the blame for nothing the period discount did: it is only what it removed.
  const promoDiscountMinor = Math.max(afterPeriod - amountMinor, 0);
  return {
    currency,
    listPriceMinor,
    periodDiscountMinor,
    promoDiscountMinor,
    amountMinor,
    days: durationDays + promoDays,
    promoDays,
  };
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
