import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/index.js';
import { DEFAULT_SETTINGS } from './default-settings.js';
import { seedDefaults } from './seed-defaults.js';

describe('seedDefaults', () => {
  const db = useTestDatabase();

  const snapshot = async () => {
    const [rows] = await db().sequelize.query(
      `SELECT (SELECT json_agg(p ORDER BY id) FROM plans p) AS plans,
              (SELECT json_agg(f ORDER BY id) FROM faq_items f) AS faq,
              (SELECT json_agg(s ORDER BY key) FROM settings s) AS settings`,
    );
    return rows[0];
  };

  it('adds the defaults once; a second run changes nothing', async () => {
    expect(await seedDefaults(db())).toEqual({
      plans: 4,
      faq: 6,
      settings: Object.keys(DEFAULT_SETTINGS).length,
    });
    const first = await snapshot();
    expect(await seedDefaults(db())).toEqual({ plans: 0, faq: 0, settings: 0 });
    expect(await snapshot()).toEqual(first);

    const plans = await db().repos.plans.listActive();
    // Final prices: the saving of a long plan is in its price and nothing else discounts it.
    expect(plans.map((p) => [p.code, p.durationDays, p.priceMinor, p.priceStars, p.discountPercent])).toEqual([
      ['m1', 30, 19_900, 150, 0],
      ['m3', 90, 54_900, 420, 0],
      ['m6', 180, 99_900, 760, 0],
      ['m12', 365, 179_900, 1_370, 0],
    ]);
    const faq = await db().repos.faq.listActive();
    expect(faq.every((i) => i.question.ru && i.question.en && i.answer.ru && i.answer.en)).toBe(true);
    expect(await db().repos.settings.getKnown('trial.trafficLimitBytes')).toBe(10 * 1024 ** 3);
    expect(await db().repos.settings.get('autoRenew.maxFailures')).toBe(2);
  });

  it('never undoes an admin edit', async () => {
    await seedDefaults(db());
    const m1 = (await db().repos.plans.findByCode('m1'))!;
    await db().repos.plans.update(m1.id, { priceMinor: 24_900 });
    await db().repos.settings.set('trial.days', 7);
    await seedDefaults(db());
    expect((await db().repos.plans.get(m1.id))?.priceMinor).toBe(24_900);
    expect(await db().repos.settings.getKnown('trial.days')).toBe(7);
  });
});
