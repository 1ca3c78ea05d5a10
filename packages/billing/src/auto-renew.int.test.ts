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
});
