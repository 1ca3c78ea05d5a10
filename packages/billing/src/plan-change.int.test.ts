import { describe, expect, it } from 'vitest';
import { DAY_MS } from './domain/subscription-dates.js';
import { useHarness } from './testing/harness.js';

describe('one plan at a time: changing plans converts the remaining paid time (issue 11, item 3)', () => {
  const h = useHarness();
  const left = async (userId: number) => {
    const sub = await h.db.repos.subscriptions.getCurrentForUser(userId);
    return { sub: sub!, days: (sub!.endsAt!.getTime() - h.clock.now().getTime()) / DAY_MS };
  };

  it('Basic for a year, then Premium for a month: the year is worth half as many Premium days, never 395 days of Premium', async () => {
    const basic = await h.plan({ durationDays: 365, priceMinor: 365_00, deviceLimit: 1, trafficLimitBytes: 10 });
    const premium = await h.plan({ durationDays: 30, priceMinor: 60_00, deviceLimit: 5, trafficLimitBytes: null });
    const user = await h.user();
    await h.settle(await h.checkout(user.id, basic.id));
    expect((await left(user.id)).days).toBe(365);
    // The checkout shows the conversion before paying: 365 days at 1 ₽ a day are 182 days at 2 ₽.
    const quote = await h.billing.pricing.quote({ userId: user.id, planId: premium.id });
    expect(quote.conversion).toMatchObject({ fromPlan: { id: basic.id }, remainingDays: 365, convertedDays: 182 });
    const pay = await h.checkout(user.id, premium.id);
    expect(await h.settle(pay)).toMatchObject({ outcome: 'settled' });
    const after = await left(user.id);
    expect(after.days).toBe(182 + 30);
    expect(after.sub).toMatchObject({ planId: premium.id, deviceLimit: 5, trafficLimitBytes: null });

    // The refund of that payment restores the previous plan and its remaining time exactly.
    await h.billing.ledger.refundPayment(pay.id);
    const back = await left(user.id);
    expect(back.days).toBe(365);
    expect(back.sub).toMatchObject({ planId: basic.id, deviceLimit: 1, trafficLimitBytes: 10, status: 'active' });
  });

  it('the other way round: days paid at Premium are not downgraded, they convert into more Basic days', async () => {
    const basic = await h.plan({ durationDays: 30, priceMinor: 30_00 });
    const premium = await h.plan({ durationDays: 30, priceMinor: 90_00 });
    const user = await h.user();
    await h.settle(await h.checkout(user.id, premium.id));
    h.clock.advanceHours(24 * 10);
    await h.settle(await h.checkout(user.id, basic.id));
    // 20 Premium days left, at 3 ₽ a day, are 60 days at 1 ₽; then the 30 bought.
    expect((await left(user.id)).days).toBe(90);
  });

  it('buying the same plan again extends it', async () => {
    const plan = await h.plan({ durationDays: 30 });
    const user = await h.user();
    await h.settle(await h.checkout(user.id, plan.id));
    expect((await h.billing.pricing.quote({ userId: user.id, planId: plan.id })).conversion).toBeNull();
    await h.settle(await h.checkout(user.id, plan.id));
    expect((await left(user.id)).days).toBe(60);
  });
});
