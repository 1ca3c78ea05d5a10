import { describe, expect, it } from 'vitest';
import { makePayment, makeUser, useTestDatabase } from '../testing/index.js';

describe('promo codes repository', () => {
  const db = useTestDatabase();
  const promos = () => db().repos.promoCodes;

  it('stores codes upper-case and finds them whatever the case', async () => {
    const promo = await promos().create({
      code: ' spring25 ',
      kind: 'percent',
      value: 25,
      planIds: [1, 2],
    });
    expect(promo).toMatchObject({
      code: 'SPRING25',
      usesCount: 0,
      perUserLimit: 1,
      maxUses: null,
      planIds: [1, 2],
    });
    expect(await promos().findByCode('Spring25')).toMatchObject({ id: promo.id });
    await expect(promos().create({ code: 'SPRING25', kind: 'fixed', value: 100 })).rejects.toThrow();
    await expect(promos().create({ code: 'BIG', kind: 'percent', value: 150 })).rejects.toThrow();
  });

  it('lets exactly one of ten users redeem a single-use code at the same moment', async () => {
    const promo = await promos().create({ code: 'ONCE', kind: 'days', value: 7, maxUses: 1 });
    const users = await Promise.all(Array.from({ length: 10 }, () => makeUser(db().repos)));
    const results = await Promise.all(users.map((u) => promos().redeem({ promoCodeId: promo.id, userId: u.id })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.reason))).toEqual(Array(9).fill('exhausted'));
    expect((await promos().get(promo.id))?.usesCount).toBe(1);
    expect(await promos().listRedemptions(promo.id)).toHaveLength(1);
  });

  it('holds the per-user limit when one user redeems in parallel', async () => {
    const promo = await promos().create({
      code: 'PERUSER',
      kind: 'fixed',
      value: 5_000,
      perUserLimit: 2,
    });
    const user = await makeUser(db().repos);
    const results = await Promise.all(Array.from({ length: 6 }, () => promos().redeem({ promoCodeId: promo.id, userId: user.id })));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok && r.reason === 'per_user_limit')).toHaveLength(4);
    expect((await promos().get(promo.id))?.usesCount).toBe(2);
    expect(await promos().countUserRedemptions(promo.id, user.id)).toBe(2);
  });

  it('is idempotent per payment', async () => {
    const promo = await promos().create({
      code: 'PAY',
      kind: 'percent',
      value: 10,
      perUserLimit: 5,
    });
    const payment = await makePayment(db().repos);
    const first = await promos().redeem({
      promoCodeId: promo.id,
      userId: payment.userId,
      paymentId: payment.id,
    });
    const second = await promos().redeem({
      promoCodeId: promo.id,
      userId: payment.userId,
      paymentId: payment.id,
    });
    expect(first.ok && second.ok && first.redemption.id === second.redemption.id).toBe(true);
    expect((await promos().get(promo.id))?.usesCount).toBe(1);
  });

  it('refuses inactive, not-yet-valid, expired and unknown codes without spending a use', async () => {
    const user = await makeUser(db().repos);
    const hour = 3_600_000;
    const cases = [
      [{ code: 'OFF', active: false }, 'inactive'],
      [{ code: 'LATER', validFrom: new Date(Date.now() + hour) }, 'not_started'],
      [{ code: 'OLD', validUntil: new Date(Date.now() - hour) }, 'expired'],
    ] as const;
    for (const [input, reason] of cases) {
      const promo = await promos().create({ kind: 'days', value: 3, ...input });
      expect(await promos().redeem({ promoCodeId: promo.id, userId: user.id })).toEqual({
        ok: false,
        reason,
      });
      expect((await promos().get(promo.id))?.usesCount).toBe(0);
    }
    expect(await promos().redeem({ promoCodeId: 999_999, userId: user.id })).toEqual({
      ok: false,
      reason: 'not_found',
    });
  });

  it('keeps the currency of a fixed amount (upper-case) and refuses one on other kinds', async () => {
    const usd = await promos().create({ code: 'FIVEOFF', kind: 'fixed', value: 500, currency: 'usd' });
    expect(usd).toMatchObject({ kind: 'fixed', value: 500, currency: 'USD' });
    expect(await promos().create({ code: 'LEGACY', kind: 'fixed', value: 500 })).toMatchObject({ currency: null });
    expect(await promos().update(usd.id, { currency: 'eur' })).toMatchObject({ currency: 'EUR' });
    await expect(promos().create({ code: 'PCT', kind: 'percent', value: 5, currency: 'RUB' })).rejects.toThrow();
    await expect(promos().create({ code: 'BAD', kind: 'fixed', value: 5, currency: 'R$' })).rejects.toThrow();
  });

  it('updates and lists codes', async () => {
    const promo = await promos().create({ code: 'EDIT', kind: 'days', value: 3 });
    expect(await promos().update(promo.id, { active: false, maxUses: 10 })).toMatchObject({
      active: false,
      maxUses: 10,
    });
    expect((await promos().list()).map((p) => p.code)).toEqual(['EDIT']);
    expect(await promos().list({ activeOnly: true })).toEqual([]);
  });
});
