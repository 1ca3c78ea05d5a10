import { describe, expect, it } from 'vitest';
import type { StartRenewalResult } from './auto-renew.js';
import { days, useHarness } from './testing/harness.js';

describe('auto-renew on the real database', () => {
  const h = useHarness();

  /** A customer who bought 30 days and saved their card; the clock is then 6 h before the end. */
  async function subscriber() {
    const user = await h.user();
    const plan = await h.plan({ durationDays: 30, priceMinor: 19_900 });
    const pay = await h.checkout(user.id, plan.id);
    await h.billing.settlement.settlePayment({
      paymentId: pay.id,
      providerStatus: 'succeeded',
      amountMinor: pay.amountMinor,
      currency: 'RUB',
      savedPaymentMethodId: 'pm-card',
    });
    const sub = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!;
    h.clock.set(new Date(sub.endsAt!.getTime() - 6 * 3_600_000));
    await h.drainOutbox();
    return { user, sub };
  }
  const charge = (r: StartRenewalResult) => {
    if (r.outcome !== 'charge') throw new Error(`expected a charge, got ${r.reason}`);
    return r;
  };
  const notices = async () => (await h.drainOutbox()).filter((r) => r.kind === 'notify').map((r) => r.payload.kind);

  it('success: charged on the day it ends, extended from the end, the customer told', async () => {
    const { user, sub } = await subscriber();
    h.clock.set(new Date(sub.endsAt!.getTime() - days(2)));
    expect(await h.billing.autoRenew.dueForAutoRenew()).toEqual([]);
    h.clock.set(new Date(sub.endsAt!.getTime() - 6 * 3_600_000));
    expect(await h.billing.autoRenew.dueForAutoRenew()).toEqual([
      { subscriptionId: sub.id, userId: user.id, attempt: 1, dueAt: sub.endsAt!.toISOString(), provider: 'yookassa' },
    ]);

    const started = charge(await h.billing.autoRenew.startRenewal(sub.id));
    expect(started).toMatchObject({ attempt: 1, created: true, provider: 'yookassa', savedPaymentMethodId: 'pm-card' });
    expect(started.payment).toMatchObject({
      kind: 'auto_renew',
      amountMinor: 19_900,
      subscriptionId: sub.id,
      savedPaymentMethodId: 'pm-card',
    });
    // A retried job for the same attempt gets the same payment, so the provider sees one idempotency key.
    expect(charge(await h.billing.autoRenew.startRenewal(sub.id))).toMatchObject({ created: false, payment: { id: started.payment.id } });
    expect(await notices()).toEqual(['renewal_charging']);

    const settled = await h.billing.settlement.settlePayment({
      paymentId: started.payment.id,
      providerStatus: 'succeeded',
      amountMinor: 19_900,
      currency: 'RUB',
    });
    expect(settled.outcome).toBe('settled');
    const after = (await h.db.repos.subscriptions.get(sub.id))!;
    expect(after.endsAt!.getTime() - sub.endsAt!.getTime()).toBe(days(30));
    expect(after).toMatchObject({ renewalFailures: 0, autoRenew: true });
    expect(await notices()).toEqual(['renewal_succeeded']);
    expect(await h.billing.autoRenew.dueForAutoRenew()).toEqual([]);
    expect(await h.billing.autoRenew.startRenewal(sub.id)).toEqual({ outcome: 'skip', reason: 'not_due' });
  });

  it('failure, then the retry 24 hours later succeeds (after the expiry sweep ran)', async () => {
    const { sub } = await subscriber();
    const first = charge(await h.billing.autoRenew.startRenewal(sub.id));
    await h.drainOutbox();
    expect((await h.billing.autoRenew.recordRenewalFailure(first.payment.id, 'declined')).changed).toBe(true);
    expect((await h.billing.autoRenew.recordRenewalFailure(first.payment.id, 'declined')).changed).toBe(false);
    const failedOnce = (await h.db.repos.subscriptions.get(sub.id))!;
    expect(failedOnce).toMatchObject({ renewalFailures: 1, autoRenew: true });
    expect(failedOnce.nextRenewalAttemptAt!.getTime() - h.clock.now().getTime()).toBe(days(1));
    const rows = (await h.drainOutbox()).filter((r) => r.kind === 'notify');
    expect(rows.map((r) => r.payload)).toEqual([
      {
        userId: sub.userId,
        kind: 'renewal_failed_retry',
        reference: first.payment.id,
        params: {
          paymentId: first.payment.id,
          attempt: 1,
          nextAttemptAt: failedOnce.nextRenewalAttemptAt!.toISOString(),
          reason: 'declined',
        },
      },
    ]);

    h.clock.advanceHours(23);
    expect(await h.billing.autoRenew.dueForAutoRenew()).toEqual([]);
    expect(await h.billing.subscriptions.expireDue()).toBe(1);
    h.clock.advanceHours(1);
    expect((await h.billing.autoRenew.dueForAutoRenew()).map((c) => c.attempt)).toEqual([2]);
    const second = charge(await h.billing.autoRenew.startRenewal(sub.id));
    expect(second.payment.id).not.toBe(first.payment.id);
    await h.billing.settlement.settlePayment({
      paymentId: second.payment.id,
      providerStatus: 'succeeded',
      amountMinor: 19_900,
      currency: 'RUB',
    });
    const renewed = (await h.db.repos.subscriptions.get(sub.id))!;
    expect(renewed).toMatchObject({ status: 'active', renewalFailures: 0, nextRenewalAttemptAt: null });
    expect(renewed.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(30));
    expect(await notices()).toEqual(['renewal_charging', 'renewal_succeeded']);
  });

  it('two failures turn auto-renew off and say so', async () => {
    const { sub } = await subscriber();
    const first = charge(await h.billing.autoRenew.startRenewal(sub.id));
    await h.billing.autoRenew.recordRenewalFailure(first.payment.id, 'declined');
    h.clock.advanceHours(24);
    const second = charge(await h.billing.autoRenew.startRenewal(sub.id));
    expect(second.attempt).toBe(2);
    // The provider's own failure notification takes the same path.
    expect(
      (
        await h.billing.settlement.settlePayment({
          paymentId: second.payment.id,
          providerStatus: 'failed',
          amountMinor: 19_900,
          currency: 'RUB',
          reason: 'insufficient_funds',
        })
      ).outcome,
    ).toBe('failed');
    expect(await h.db.repos.subscriptions.get(sub.id)).toMatchObject({ renewalFailures: 2, autoRenew: false, nextRenewalAttemptAt: null });
    expect(await notices()).toEqual(['renewal_charging', 'renewal_failed_retry', 'renewal_charging', 'renewal_disabled']);
    h.clock.advanceHours(24);
    expect(await h.billing.autoRenew.dueForAutoRenew()).toEqual([]);
    expect(await h.billing.autoRenew.startRenewal(sub.id)).toEqual({ outcome: 'skip', reason: 'auto_renew_off' });
  });

  it('a withdrawn plan switches auto-renew off instead of charging', async () => {
    const { sub } = await subscriber();
    await h.db.repos.plans.update(sub.planId!, { active: false });
    expect(await h.billing.autoRenew.startRenewal(sub.id)).toEqual({ outcome: 'skip', reason: 'plan_unavailable' });
    expect((await h.db.repos.subscriptions.get(sub.id))!.autoRenew).toBe(false);
    expect(await notices()).toEqual(['renewal_disabled']);
  });
  /** The subscriber with `balanceMinor` on the balance: auto-renew takes the balance first, then the card. */
  async function subscriberWith(balanceMinor: number) {
    const found = await subscriber();
    const gift = {
      userId: found.user.id,
      amountMinor: balanceMinor,
      reason: 'gift',
      actor: 'admin:1',
      idempotencyKey: `g${found.user.id}`,
    };
    await h.billing.balance.adjust(gift);
    await h.drainOutbox();
    return found;
  }

  it('a balance that covers the price renews from it: no card charge, extended once, the customer told', async () => {
    const { user, sub } = await subscriberWith(25_000);
    const started = await h.billing.autoRenew.startRenewal(sub.id);
    expect(started).toMatchObject({
      outcome: 'charge',
      provider: 'balance',
      payment: { provider: 'balance', status: 'succeeded', kind: 'auto_renew' },
    });
    // The job retried: nothing is due any more, nothing is taken twice.
    expect(await h.billing.autoRenew.startRenewal(sub.id)).toMatchObject({ outcome: 'skip' });
    expect(await h.billing.balance.amount(user.id)).toBe(5_100);
    const after = (await h.db.repos.subscriptions.get(sub.id))!;
    expect(after.endsAt!.getTime() - sub.endsAt!.getTime()).toBe(days(30));
    const kinds = (await h.drainOutbox()).filter((r) => r.kind === 'notify').map((r) => r.payload.kind);
    expect(kinds).toEqual(['renewal_succeeded']);
    expect((await h.db.repos.payments.listByUser(user.id)).filter((p) => p.provider === 'yookassa' && p.kind === 'auto_renew')).toEqual([]);
  });

  it('ten renewal jobs at once for the same period take the balance once', async () => {
    const { user, sub } = await subscriberWith(50_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => h.billing.autoRenew.startRenewal(sub.id)));
    expect(results.filter((r) => r.outcome === 'charge')).toHaveLength(1);
    expect(await h.billing.balance.amount(user.id)).toBe(50_000 - 19_900);
    const after = (await h.db.repos.subscriptions.get(sub.id))!;
    expect(after.endsAt!.getTime() - sub.endsAt!.getTime()).toBe(days(30));
  });

  it('a balance short of the price is left alone and the saved card is charged', async () => {
    const { user, sub } = await subscriberWith(10_000);
    const started = await h.billing.autoRenew.startRenewal(sub.id);
    expect(started).toMatchObject({ outcome: 'charge', provider: 'yookassa', payment: { status: 'pending', amountMinor: 19_900 } });
    expect(await h.billing.balance.amount(user.id)).toBe(10_000);
  });
});
