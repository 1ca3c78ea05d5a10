import type { PlanInput } from '../repositories/plans.repository.js';

/**
 * The four default plans. Prices are in kopecks (and Stars) and final: what the customer pays
 * before a promo code. A long plan's saving against paying monthly (199 × 3 = 597 → 549 saves
 * 8 %) is derived from the prices by billing (`planSaving`) and shown, never applied.
 */
export const DEFAULT_PLANS: readonly PlanInput[] = [
  {
    code: 'm1',
    title: { ru: '1 месяц', en: '1 month' },
    durationDays: 30,
    priceMinor: 19_900,
    priceStars: 150,
    sortOrder: 10,
  },
  {
    code: 'm3',
    title: { ru: '3 месяца', en: '3 months' },
    durationDays: 90,
    priceMinor: 54_900,
    priceStars: 420,
    sortOrder: 20,
  },
  {
    code: 'm6',
    title: { ru: '6 месяцев', en: '6 months' },
    durationDays: 180,
    priceMinor: 99_900,
    priceStars: 760,
    sortOrder: 30,
  },
  {
    code: 'm12',
    title: { ru: '12 месяцев', en: '12 months' },
    durationDays: 365,
    priceMinor: 179_900,
    priceStars: 1_370,
    sortOrder: 40,
  },
].map((p) => ({
  currency: 'RUB',
  deviceLimit: 3,
  trafficLimitBytes: null,
  resetTrafficOnRenew: true,
  active: true,
  ...p,
}));
