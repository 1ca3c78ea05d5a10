import type { Plan } from '@vpn/db';
import { describe, expect, it } from 'vitest';
import { isBillingError } from '../errors.js';
import { offeredPlan, PLAN_OFFER_TTL_MS, planOffer } from './plan-offer.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const plan = {
  id: 7,
  code: 'm1',
  title: { ru: '1 месяц', en: '1 month' },
  durationDays: 30,
  priceMinor: 19_900,
  currency: 'RUB',
  priceStars: 150,
  discountPercent: 0,
  trafficLimitBytes: null,
  deviceLimit: 3,
  resetTrafficOnRenew: true,
  active: true,
  sortOrder: 10,
  createdAt: NOW,
  updatedAt: NOW,
} satisfies Plan;
const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return isBillingError(e) ? e.code : String(e);
  }
};

describe('a checkout keeps the plan terms it showed', () => {
  const offer = planOffer(plan, NOW);
  const edited = { ...plan, priceMinor: 29_900, priceStars: 250, durationDays: 20, deviceLimit: 1 };

  it('no offer, or the same terms: the stored plan', () => {
    expect(offeredPlan(edited, null, NOW)).toBe(edited);
    expect(offeredPlan(plan, offer, new Date(NOW.getTime() + 10 * PLAN_OFFER_TTL_MS))).toBe(plan);
  });

  it('terms changed since: the offer’s, until the offer is an hour old; then PLAN_CHANGED', () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    expect(offeredPlan(edited, offer, at(PLAN_OFFER_TTL_MS))).toMatchObject({
      id: 7,
      priceMinor: 19_900,
      priceStars: 150,
      durationDays: 30,
      deviceLimit: 3,
    });
    expect(code(() => offeredPlan(edited, offer, at(PLAN_OFFER_TTL_MS + 1)))).toBe('PLAN_CHANGED');
  });

  it('an offer of another plan, from the future, or malformed is refused', () => {
    expect(code(() => offeredPlan({ ...edited, id: 8 }, offer, NOW))).toBe('INVALID_INPUT');
    expect(code(() => offeredPlan(edited, { ...offer, shownAt: NOW.getTime() + 1 }, NOW))).toBe('INVALID_INPUT');
    expect(code(() => offeredPlan(edited, { ...offer, priceMinor: -1 }, NOW))).toBe('INVALID_INPUT');
    expect(code(() => offeredPlan(edited, { ...offer, durationDays: 0 }, NOW))).toBe('INVALID_INPUT');
  });
});
