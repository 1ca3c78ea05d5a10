import { describe, expect, it } from 'vitest';
import { GIB } from './domain/settings.js';
import { isBillingError } from './errors.js';
import { days, useHarness } from './testing/harness.js';

describe('trial on the real database', () => {
  const h = useHarness();

  it('starts a 3-day, 10 GiB trial with provisioning and a notice', async () => {
    const user = await h.user();
    const sub = await h.billing.trial.startTrial(user.id);
    expect(sub).toMatchObject({ status: 'active', isTrial: true, trafficLimitBytes: 10 * GIB, autoRenew: false, version: 1 });
    expect(sub.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(3));
    expect((await h.db.repos.users.findById(user.id))!.trialUsedAt).toBeInstanceOf(Date);
    const rows = await h.drainOutbox();
    expect(rows.map((r) => r.dedupeKey)).toEqual([`provision:sub:${sub.id}:v1`, `notify:${user.id}:trial_activated:sub:${sub.id}`]);
    expect(rows[0]!.payload).toEqual({ subscriptionId: sub.id, version: 1, reason: 'trial' });
  });

  it('twice at once: exactly one trial', async () => {
    const user = await h.user();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => h.billing.trial.startTrial(user.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(isBillingError(r.reason, 'TRIAL_ALREADY_USED')).toBe(true);
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toHaveLength(1);
    expect((await h.drainOutbox()).filter((r) => r.kind === 'provision')).toHaveLength(1);
  });

  it('refuses a customer who already paid, and a blocked one, changing nothing', async () => {
    const payer = await h.user();
    await h.billing.subscriptions.grantDays(payer.id, 30);
    await expect(h.billing.trial.startTrial(payer.id)).rejects.toSatisfy((e) => isBillingError(e, 'TRIAL_NOT_ELIGIBLE'));
    expect((await h.db.repos.users.findById(payer.id))!.trialUsedAt).toBeNull();
    const blocked = await h.user();
    await h.db.repos.users.setBlocked(blocked.id, true, 'abuse');
    await expect(h.billing.trial.startTrial(blocked.id)).rejects.toSatisfy((e) => isBillingError(e, 'USER_BLOCKED'));
  });

  it('after the trial, a purchase extends the same subscription from its end and clears the trial flag', async () => {
    const user = await h.user();
    const trial = await h.billing.trial.startTrial(user.id);
    const plan = await h.plan({ durationDays: 30, trafficLimitBytes: null });
    const pay = await h.checkout(user.id, plan.id);
    await h.billing.settlement.settlePayment({
      paymentId: pay.id,
      providerStatus: 'succeeded',
      amountMinor: pay.amountMinor,
      currency: 'RUB',
    });
    const sub = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    expect(sub).toMatchObject({ id: trial.id, isTrial: false, planId: plan.id, trafficLimitBytes: null, version: 2 });
    expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(33));
  });
});
