import { describe, expect, it } from 'vitest';
import { checkPromo, normalisePromoCode, promoEffect, type PromoRules } from './promo-rules.js';

const now = new Date('2026-03-10T12:00:00Z');
const base: PromoRules = {
  id: 1,
  code: 'SPRING',
  kind: 'percent',
  value: 20,
  currency: null,
  active: true,
  validFrom: new Date('2026-03-01T00:00:00Z'),
  validUntil: new Date('2026-04-01T00:00:00Z'),
  maxUses: 100,
  usedCount: 5,
  perUserLimit: 1,
  planIds: [1, 2],
};
const ctx = { planId: 1, currency: 'RUB', now, userRedemptions: 0 };

describe('checkPromo', () => {
  it('accepts a valid code and returns its effect', () => {
    expect(checkPromo(base, ctx)).toEqual({ ok: true, promo: base, effect: { kind: 'percent', percent: 20 } });
  });

  it.each([
    ['unknown', null, ctx],
    ['inactive', { ...base, active: false }, ctx],
    ['not_started', { ...base, validFrom: new Date('2026-03-11T00:00:00Z') }, ctx],
    ['expired', { ...base, validUntil: new Date('2026-03-10T12:00:00Z') }, ctx],
    ['not_for_plan', base, { ...ctx, planId: 3 }],
    ['used_up', { ...base, usedCount: 100 }, ctx],
    ['already_used', base, { ...ctx, userRedemptions: 1 }],
  ])('refuses with %s', (reason, promo, c) => {
    expect(checkPromo(promo, c)).toEqual({ ok: false, reason });
  });

  it('refuses a fixed amount in another currency, saying so', () => {
    const usd: PromoRules = { ...base, kind: 'fixed', value: 100, currency: 'USD' };
    expect(checkPromo(usd, ctx)).toEqual({ ok: false, reason: 'not_for_plan', detail: 'currency_mismatch' });
    expect(checkPromo(usd, { ...ctx, currency: 'USD' })).toMatchObject({
      ok: true,
      effect: { kind: 'fixed', amountMinor: 100, currency: 'USD' },
    });
  });

  it('treats null limits, windows and plan scope as "no limit"', () => {
    const open: PromoRules = { ...base, validFrom: null, validUntil: null, maxUses: null, perUserLimit: null, planIds: null };
    expect(checkPromo(open, { ...ctx, planId: 99, userRedemptions: 50 }).ok).toBe(true);
    expect(checkPromo({ ...open, planIds: [] }, { ...ctx, planId: 99 }).ok).toBe(true);
  });

  it('reports the most permanent reason first', () => {
    const everythingWrong: PromoRules = { ...base, active: false, usedCount: 100, validUntil: new Date('2026-01-01T00:00:00Z') };
    expect(checkPromo(everythingWrong, { ...ctx, planId: 9, userRedemptions: 3 })).toEqual({ ok: false, reason: 'inactive' });
    expect(checkPromo({ ...everythingWrong, active: true }, { ...ctx, planId: 9 })).toEqual({ ok: false, reason: 'expired' });
  });

  it('is valid exactly from validFrom and not at validUntil', () => {
    expect(checkPromo(base, { ...ctx, now: new Date('2026-03-01T00:00:00Z') }).ok).toBe(true);
    expect(checkPromo(base, { ...ctx, now: new Date('2026-04-01T00:00:00Z') })).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('promoEffect', () => {
  it('maps each kind and clamps silly values', () => {
    expect(promoEffect({ kind: 'percent', value: 150, currency: null })).toEqual({ kind: 'percent', percent: 100 });
    expect(promoEffect({ kind: 'fixed', value: 500, currency: 'RUB' })).toEqual({ kind: 'fixed', amountMinor: 500, currency: 'RUB' });
    expect(promoEffect({ kind: 'days', value: 0, currency: null })).toEqual({ kind: 'days', days: 1 });
  });
});

describe('normalisePromoCode', () => {
  it('trims, removes spaces and upper-cases', () => {
    expect(normalisePromoCode('  spr ing\t')).toBe('SPRING');
  });
});
