import { seedDefaults } from '@vpn/db';
import { describe, expect, it } from 'vitest';
import { useHarness } from './testing/harness.js';

describe('plan prices are final (issue 11, item 1)', () => {
  const h = useHarness();

  it('charges the seeded long plans their own price in roubles and in Stars, a promo code off that price', async () => {
    await seedDefaults(h.db);
    const user = await h.user();
    const plans = await h.db.repos.plans.listActive();
    const byCode = (code: string) => plans.find((p) => p.code === code)!;
    const pay = async (code: string, provider: 'yookassa' | 'stars', promoCode?: string) =>
      (
        await h.billing.ledger.createPendingPayment({
          userId: user.id,
          planId: byCode(code).id,
          provider,
          idempotencyKey: `final-${code}-${provider}-${promoCode ?? ''}`,
          promoCode,
        })
      ).payment.amountMinor;
    expect(await pay('m3', 'yookassa')).toBe(54_900);
    expect(await pay('m12', 'yookassa')).toBe(179_900);
    expect(await pay('m3', 'stars')).toBe(420);
    await h.db.repos.promoCodes.create({ code: 'TEN', kind: 'percent', value: 10 });
    expect(await pay('m3', 'yookassa', 'TEN')).toBe(49_410);
    const quote = await h.billing.pricing.quote({ userId: user.id, planId: byCode('m6').id });
    expect(quote.price).toMatchObject({ listPriceMinor: 99_900, amountMinor: 99_900, promoDiscountMinor: 0 });
  });
});
