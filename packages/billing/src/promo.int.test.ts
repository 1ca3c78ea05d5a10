import { describe, expect, it } from 'vitest';
import { isBillingError } from './errors.js';
import { days, errorCode, useHarness } from './testing/harness.js';

describe('promo codes on the real database', () => {
  const h = useHarness();

  /** Makes a payment's promo hold lapse: it was created longer ago than `promo.holdMinutes` (60). */
  const lapse = (paymentId: string) =>
    h.db.sequelize.query("UPDATE payments SET created_at = created_at - interval '61 minutes' WHERE id = $1", { bind: [paymentId] });
  const audits = async (paymentId: string) =>
    (await h.db.repos.auditLog.list({ entity: 'payment', entityId: paymentId })).map((e) => e.action);

  it('race for the last use: 5 customers check out at once, exactly one pays the discounted price, the others are told used up', async () => {
    const plan = await h.plan({ priceMinor: 20_000 });
    const promo = await h.db.repos.promoCodes.create({ code: 'LAST', kind: 'percent', value: 50, maxUses: 1 });
    const users = await Promise.all(Array.from({ length: 5 }, () => h.user()));
    const attempts = await Promise.allSettled(users.map((u) => h.checkout(u.id, plan.id, 'last')));
    const won = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    expect(won.map((p) => p.amountMinor)).toEqual([10_000]);
    const refused = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason as unknown] : []));
    expect(refused).toHaveLength(4);
    for (const e of refused) expect(isBillingError(e, 'PROMO_USED_UP')).toBe(true);
    // Nothing was left behind by the refused checkouts.
    const [rows] = await h.db.sequelize.query('SELECT count(*)::int AS n FROM payments');
    expect((rows as Array<{ n: number }>)[0]?.n).toBe(1);

    expect(await h.settle(won[0]!)).toMatchObject({ outcome: 'settled', promoRedeemed: true });
    expect((await h.db.repos.promoCodes.get(promo.id))!.usesCount).toBe(1);
    const next = await h.user();
    await expect(h.checkout(next.id, plan.id, 'LAST')).rejects.toSatisfy((e) => isBillingError(e, 'PROMO_USED_UP'));
  });

  it('a hold is released when its payment is cancelled or fails; one customer holds one use across payment methods', async () => {
    const plan = await h.plan();
    await h.db.repos.promoCodes.create({ code: 'ONE', kind: 'percent', value: 10, maxUses: 1 });
    const [a, b, c] = [await h.user(), await h.user(), await h.user()];
    const inCheckout = (provider: 'yookassa' | 'cryptopay') =>
      h.billing.ledger.createPendingPayment({
        userId: a.id,
        planId: plan.id,
        provider,
        idempotencyKey: `hold-${a.id}-${provider}`,
        promoCode: 'ONE',
        checkout: 'nonce-1',
      });
    const viaCard = (await inCheckout('yookassa')).payment;
    // The same customer switching to another method in the same checkout keeps the one use they hold.
    const viaCrypto = await inCheckout('cryptopay');
    expect(viaCrypto.payment.amountMinor).toBe(viaCard.amountMinor);
    expect(await h.billing.promo.validatePromo('ONE', a.id, plan.id, undefined, 'nonce-1')).toMatchObject({ ok: true });
    expect(await h.billing.promo.validatePromo('ONE', b.id, plan.id)).toEqual({ ok: false, reason: 'used_up' });
    expect(await errorCode(h.checkout(b.id, plan.id, 'ONE'))).toBe('PROMO_USED_UP');

    await h.billing.ledger.cancelPayment(viaCard.id, 'cancelled_by_customer');
    await h.billing.ledger.cancelPayment(viaCrypto.payment.id, 'cancelled_by_customer');
    const forB = await h.checkout(b.id, plan.id, 'ONE');
    expect(await errorCode(h.checkout(c.id, plan.id, 'ONE'))).toBe('PROMO_USED_UP');
    await h.billing.settlement.settlePayment({
      paymentId: forB.id,
      providerStatus: 'failed',
      amountMinor: forB.amountMinor,
      currency: forB.currency,
    });
    expect(await h.billing.promo.validatePromo('ONE', c.id, plan.id)).toMatchObject({ ok: true });
    expect((await h.checkout(c.id, plan.id, 'ONE')).amountMinor).toBe(forB.amountMinor);
  });

  it('a late success whose hold lapsed is honoured at the price paid, without the promo days and without passing the limit', async () => {
    const plan = await h.plan({ durationDays: 30 });
    const promo = await h.db.repos.promoCodes.create({ code: 'WEEK', kind: 'days', value: 7, maxUses: 1 });
    const [a, b] = [await h.user(), await h.user()];
    const pa = await h.checkout(a.id, plan.id, 'WEEK');
    await h.billing.ledger.cancelPayment(pa.id, 'cancelled_by_customer');
    const pb = await h.checkout(b.id, plan.id, 'WEEK');
    // A paid anyway: settled late, but B holds the only use.
    expect(await h.settle(pa)).toMatchObject({ outcome: 'settled', lateSuccess: true, grantedDays: 30, promoRedeemed: false });
    expect((await h.db.repos.payments.get(pa.id))!.metadata.settlement).toMatchObject({ promoOutcome: 'exhausted' });
    expect((await audits(pa.id)).sort()).toEqual(['payment.late_success', 'payment.promo_lost']);
    expect(await h.settle(pb)).toMatchObject({ outcome: 'settled', grantedDays: 37, promoRedeemed: true });
    expect((await h.db.repos.promoCodes.get(promo.id))!.usesCount).toBe(1);
    const sub = await h.db.repos.subscriptions.getCurrentForUser(b.id);
    expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(37));
  });

  it('lapsed holds racing at settlement: exactly one redemption, the others settled again without the days, nothing left behind', async () => {
    const plan = await h.plan({ durationDays: 30 });
    await h.db.repos.promoCodes.create({ code: 'RACE7', kind: 'days', value: 7, maxUses: 1 });
    const users = await Promise.all(Array.from({ length: 5 }, () => h.user()));
    const payments = [];
    for (const u of users) {
      const p = await h.checkout(u.id, plan.id, 'RACE7');
      await lapse(p.id);
      payments.push(p);
    }
    const results = await Promise.all(payments.map((p) => h.settle(p)));
    expect(results.map((r) => (r.outcome === 'settled' ? r.grantedDays : r.outcome)).sort()).toEqual([30, 30, 30, 30, 37]);
    for (const [i, u] of users.entries()) {
      const sub = (await h.db.repos.subscriptions.listByUser(u.id))[0];
      const granted = results[i]!.outcome === 'settled' && results[i]!.promoRedeemed ? 37 : 30;
      expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(granted));
      expect(sub!.version).toBe(1);
      expect(await h.db.repos.subscriptionEvents.listByPayment(payments[i]!.id)).toHaveLength(1);
      expect(await audits(payments[i]!.id)).toEqual(granted === 37 ? [] : ['payment.promo_lost']);
    }
    const rows = await h.drainOutbox();
    expect(rows.filter((r) => r.kind === 'provision')).toHaveLength(5);
    expect(rows.filter((r) => r.payload.kind === 'payment_succeeded')).toHaveLength(5);
  });

  it('validatePromo gives a typed reason per refusal', async () => {
    const plan = await h.plan({ priceMinor: 10_000 });
    const other = await h.plan();
    const user = await h.user();
    const now = h.clock.now();
    await h.db.repos.promoCodes.create({ code: 'ONLY', kind: 'fixed', value: 1_000, planIds: [plan.id] });
    await h.db.repos.promoCodes.create({ code: 'OFF', kind: 'percent', value: 10, active: false });
    await h.db.repos.promoCodes.create({ code: 'SOON', kind: 'percent', value: 10, validFrom: new Date(now.getTime() + days(1)) });
    await h.db.repos.promoCodes.create({ code: 'OLD', kind: 'percent', value: 10, validUntil: new Date(now.getTime() - 1) });
    const reason = async (code: string, planId = plan.id) => {
      const r = await h.billing.promo.validatePromo(code, user.id, planId);
      return r.ok ? 'ok' : r.reason;
    };
    expect(await reason('only')).toBe('ok');
    expect(await reason('nope')).toBe('unknown');
    expect(await reason('ONLY', other.id)).toBe('not_for_plan');
    expect(await reason('OFF')).toBe('inactive');
    expect(await reason('SOON')).toBe('not_started');
    expect(await reason('OLD')).toBe('expired');

    const quote = await h.billing.pricing.quote({ userId: user.id, planId: plan.id, promoCode: 'ONLY' });
    expect(quote.price).toMatchObject({ amountMinor: 9_000, promoDiscountMinor: 1_000 });
    // A screen's cached plan prices the quote without a read, but the payment is priced from the
    // stored plan: an admin's new price applies to what the customer pays even if the screen lagged.
    const shown = await h.billing.pricing.quote(
      { userId: user.id, planId: plan.id, promoCode: 'ONLY' },
      { plan: { ...plan, priceMinor: 5_000 } },
    );
    expect(shown.price).toMatchObject({ amountMinor: 4_000 });
    await expect(h.billing.pricing.quote({ userId: user.id, planId: plan.id }, { plan: { ...plan, active: false } })).rejects.toMatchObject(
      {
        code: 'PLAN_INACTIVE',
      },
    );
    await expect(h.billing.pricing.quote({ userId: user.id, planId: plan.id }, { plan: null })).rejects.toMatchObject({
      code: 'PLAN_NOT_FOUND',
    });
    await expect(h.billing.pricing.quote({ userId: user.id, planId: plan.id }, { plan: other })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const pay = await h.checkout(user.id, plan.id, 'ONLY');
    expect(pay.amountMinor).toBe(9_000);
    await h.settle(pay);
    expect(await reason('ONLY')).toBe('already_used');
    // A fixed discount without a currency is in the plan's currency and cannot discount a price in Stars.
    const starsPlan = await h.plan({ priceStars: 150 });
    await h.db.repos.promoCodes.create({ code: 'RUB100', kind: 'fixed', value: 10_000 });
    const stars = await h.billing.pricing.quote({ userId: user.id, planId: starsPlan.id, provider: 'stars', promoCode: 'RUB100' });
    expect(stars.promo).toEqual({ ok: false, reason: 'not_for_plan', detail: 'currency_mismatch' });
    expect(stars.price).toMatchObject({ currency: 'XTR', amountMinor: 150 });
  });

  it('a fixed promo in its own currency discounts plans priced in it, in Stars too, and refuses others', async () => {
    const user = await h.user();
    const usdPlan = await h.plan({ priceMinor: 999, currency: 'USD', priceStars: 500 });
    const rubPlan = await h.plan({ priceMinor: 19_900, currency: 'RUB' });
    await h.db.repos.promoCodes.create({ code: 'USD2', kind: 'fixed', value: 200, currency: 'usd', perUserLimit: 5 });
    await h.db.repos.promoCodes.create({ code: 'STARS50', kind: 'fixed', value: 50, currency: 'XTR' });
    expect((await h.billing.pricing.quote({ userId: user.id, planId: usdPlan.id, promoCode: 'USD2' })).price).toMatchObject({
      currency: 'USD',
      amountMinor: 799,
      promoDiscountMinor: 200,
    });
    const stars = await h.billing.pricing.quote({ userId: user.id, planId: usdPlan.id, provider: 'stars', promoCode: 'STARS50' });
    expect(stars.price).toMatchObject({ currency: 'XTR', amountMinor: 450, promoDiscountMinor: 50 });
    expect(await h.billing.promo.validatePromo('USD2', user.id, rubPlan.id)).toEqual({
      ok: false,
      reason: 'not_for_plan',
      detail: 'currency_mismatch',
    });
    const refused = await h.checkout(user.id, rubPlan.id, 'USD2').catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'PROMO_NOT_FOR_PLAN',
      message: 'promo code refused: not_for_plan (currency_mismatch)',
      details: { detail: 'currency_mismatch' },
    });
    const pay = await h.checkout(user.id, usdPlan.id, 'USD2');
    expect(pay).toMatchObject({ amountMinor: 799, currency: 'USD' });
    expect(await h.settle(pay)).toMatchObject({ outcome: 'settled', promoRedeemed: true });
  });

  it('checkout refuses an inactive plan and a refused promo with stable codes, creating nothing', async () => {
    const user = await h.user();
    const plan = await h.plan({ active: false });
    const live = await h.plan();
    expect(await errorCode(h.checkout(user.id, plan.id))).toBe('PLAN_INACTIVE');
    expect(await errorCode(h.checkout(user.id, live.id, 'GHOST'))).toBe('PROMO_UNKNOWN');
    expect(await h.db.repos.payments.listByUser(user.id)).toHaveLength(0);
  });

  it('the same idempotency key returns the same payment; another checkout under it is refused', async () => {
    const user = await h.user();
    const plan = await h.plan();
    const req = { userId: user.id, planId: plan.id, provider: 'yookassa' as const, idempotencyKey: 'checkout-1' };
    const [a, b] = await Promise.all([h.billing.ledger.createPendingPayment(req), h.billing.ledger.createPendingPayment(req)]);
    expect(a.payment.id).toBe(b.payment.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(b.price.amountMinor).toBe(a.price.amountMinor);
    const other = await h.user();
    await expect(h.billing.ledger.createPendingPayment({ ...req, userId: other.id })).rejects.toSatisfy((e) =>
      isBillingError(e, 'IDEMPOTENCY_CONFLICT'),
    );
  });

  describe("a customer's own parallel checkouts (issue 11, item 2)", () => {
    it('a once-per-customer code: a second and third checkout are refused while the first holds the use', async () => {
      const plan = await h.plan({ priceMinor: 20_000, durationDays: 30 });
      const promo = await h.db.repos.promoCodes.create({ code: 'ONCE', kind: 'percent', value: 50, perUserLimit: 1 });
      const user = await h.user();
      const first = await h.checkout(user.id, plan.id, 'ONCE');
      expect(first.amountMinor).toBe(10_000);
      expect(await errorCode(h.checkout(user.id, plan.id, 'ONCE'))).toBe('PROMO_ALREADY_USED');
      expect(await errorCode(h.checkout(user.id, plan.id, 'ONCE'))).toBe('PROMO_ALREADY_USED');
      expect(await h.billing.promo.validatePromo('ONCE', user.id, plan.id)).toEqual({ ok: false, reason: 'already_used' });
      // Checkouts racing each other: one holds, the rest are refused.
      const racing = await Promise.allSettled([1, 2, 3].map(async () => h.checkout((await h.user()).id, plan.id, 'ONCE')));
      expect(racing.every((r) => r.status === 'fulfilled')).toBe(true);
      const again = await Promise.allSettled([1, 2, 3].map(() => h.checkout(user.id, plan.id, 'ONCE')));
      expect(again.filter((r) => r.status === 'fulfilled')).toHaveLength(0);
      expect(await h.settle(first)).toMatchObject({ outcome: 'settled', promoRedeemed: true, grantedDays: 30 });
      expect((await h.db.repos.promoCodes.get(promo.id))!.usesCount).toBe(1);
    });

    it("a total limit counts the same customer's open checkouts too", async () => {
      const plan = await h.plan({ priceMinor: 20_000 });
      await h.db.repos.promoCodes.create({ code: 'TWO', kind: 'percent', value: 50, maxUses: 2, perUserLimit: 5 });
      const user = await h.user();
      await h.checkout(user.id, plan.id, 'TWO');
      await h.checkout(user.id, plan.id, 'TWO');
      expect(await errorCode(h.checkout(user.id, plan.id, 'TWO'))).toBe('PROMO_USED_UP');
      expect(await errorCode(h.checkout((await h.user()).id, plan.id, 'TWO'))).toBe('PROMO_USED_UP');
    });

    it('paying checkouts whose holds lapsed: one discounted period, the others buy what their amount buys at the list price, and the customer is told', async () => {
      const plan = await h.plan({ priceMinor: 20_000, durationDays: 30 });
      const promo = await h.db.repos.promoCodes.create({ code: 'HALF', kind: 'percent', value: 50, perUserLimit: 1 });
      const user = await h.user();
      const paid = [];
      for (let i = 0; i < 3; i++) {
        const p = await h.checkout(user.id, plan.id, 'HALF');
        await lapse(p.id);
        paid.push(p);
      }
      await h.drainOutbox();
      const results = [];
      for (const p of paid) results.push(await h.settle(p));
      // 10 000 of a 20 000 list price buys 15 of the plan's 30 days, never the full discounted period.
      expect(results.map((r) => (r.outcome === 'settled' ? [r.grantedDays, r.promoRedeemed] : r.outcome))).toEqual([
        [30, true],
        [15, false],
        [15, false],
      ]);
      expect((await h.db.repos.promoCodes.get(promo.id))!.usesCount).toBe(1);
      const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
      expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(60));
      const notices = (await h.drainOutbox()).filter((r) => r.payload.kind === 'promo_lost');
      expect(notices.map((r) => r.payload.params)).toEqual([
        { paymentId: paid[1]!.id, reason: 'used_up', days: 15, planDays: 30 },
        { paymentId: paid[2]!.id, reason: 'used_up', days: 15, planDays: 30 },
      ]);
      expect(await audits(paid[1]!.id)).toEqual(['payment.promo_lost']);
    });

    it('a code that expired after a checkout whose hold lapsed is lost; a live hold keeps the quoted terms', async () => {
      const plan = await h.plan({ priceMinor: 30_000, durationDays: 30 });
      const until = new Date(h.clock.now().getTime() + 30 * 60_000);
      await h.db.repos.promoCodes.create({ code: 'SOONGONE', kind: 'fixed', value: 20_000, validUntil: until, perUserLimit: 2 });
      const user = await h.user();
      const live = await h.checkout(user.id, plan.id, 'SOONGONE');
      const late = await h.checkout(user.id, plan.id, 'SOONGONE');
      await lapse(late.id);
      h.clock.set(new Date(until.getTime() + 60_000));
      // 10 000 of 30 000 buys 10 days.
      expect(await h.settle(late)).toMatchObject({ outcome: 'settled', grantedDays: 10, promoRedeemed: false });
      expect((await h.db.repos.payments.get(late.id))!.metadata.settlement).toMatchObject({ promoOutcome: 'expired' });
      expect(await h.settle(live)).toMatchObject({ outcome: 'settled', grantedDays: 30, promoRedeemed: true });
      const notice = (await h.drainOutbox()).find((r) => r.payload.kind === 'promo_lost');
      expect(notice?.payload.params).toMatchObject({ paymentId: late.id, reason: 'expired', days: 10 });
    });
  });
});
