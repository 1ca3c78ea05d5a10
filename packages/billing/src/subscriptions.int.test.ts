import { describe, expect, it } from 'vitest';
import { isBillingError } from './errors.js';
import { days, errorCode, useHarness } from './testing/harness.js';

describe('subscription lifecycle on the real database', () => {
  const h = useHarness();

  it('suspend → resume → cancel: every change recorded, version bumped, provisioning queued per version', async () => {
    const user = await h.user();
    const sub = await h.billing.subscriptions.grantDays(user.id, 30, { actor: 'admin:1', note: 'compensation' });
    const suspended = await h.billing.subscriptions.suspend(sub.id, { actor: 'admin:1' });
    expect(suspended).toMatchObject({ status: 'suspended', version: 2 });
    // Days granted while suspended are kept; the suspension stays.
    expect((await h.billing.subscriptions.grantDays(user.id, 5)).status).toBe('suspended');
    const resumed = await h.billing.subscriptions.resume(sub.id);
    expect(resumed).toMatchObject({ status: 'active', version: 4 });
    expect(resumed.endsAt!.getTime() - h.clock.now().getTime()).toBe(days(35));
    const cancelled = await h.billing.subscriptions.cancel(sub.id, { actor: 'admin:1' });
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 5, endsAt: h.clock.now(), autoRenew: false });

    const events = await h.db.repos.subscriptionEvents.listBySubscription(sub.id);
    expect(events.map((e) => [e.kind, e.fromStatus, e.toStatus])).toEqual([
      ['grant', null, 'active'],
      ['suspend', 'active', 'suspended'],
      ['grant', 'suspended', 'suspended'],
      ['resume', 'suspended', 'active'],
      ['cancel', 'active', 'cancelled'],
    ]);
    expect(events[0]).toMatchObject({ actor: 'admin:1', data: { days: 30, note: 'compensation' } });
    const keys = (await h.drainOutbox()).map((r) => r.dedupeKey);
    expect(keys).toEqual([1, 2, 3, 4, 5].map((v) => `provision:sub:${sub.id}:v${v}`));
  });

  it('refuses illegal moves with ILLEGAL_TRANSITION and writes nothing', async () => {
    const user = await h.user();
    const sub = await h.billing.subscriptions.grantDays(user.id, 30);
    expect(await errorCode(h.billing.subscriptions.resume(sub.id))).toBe('ILLEGAL_TRANSITION');
    expect(await errorCode(h.billing.subscriptions.expire(sub.id))).toBe('ILLEGAL_TRANSITION'); // not ended yet
    await h.billing.subscriptions.cancel(sub.id);
    expect(await errorCode(h.billing.subscriptions.cancel(sub.id))).toBe('ILLEGAL_TRANSITION');
    expect(await errorCode(h.billing.subscriptions.suspend(sub.id))).toBe('ILLEGAL_TRANSITION');
    expect(await errorCode(h.billing.subscriptions.expire(999_999))).toBe('SUBSCRIPTION_NOT_FOUND');
    expect((await h.db.repos.subscriptions.get(sub.id))!.version).toBe(2);
    expect(await h.db.repos.subscriptionEvents.listBySubscription(sub.id)).toHaveLength(2);
  });

  it('the expiry sweep expires only what has ended, once, even when two workers run it at once', async () => {
    const [a, b] = [await h.user(), await h.user()];
    await h.billing.subscriptions.grantDays(a.id, 1);
    await h.billing.subscriptions.grantDays(b.id, 3);
    h.clock.advanceHours(48);
    const counts = await Promise.all([h.billing.subscriptions.expireDue(), h.billing.subscriptions.expireDue()]);
    expect(counts[0] + counts[1]).toBe(1);
    expect((await h.db.repos.subscriptions.getLatestForUser(a.id))!.status).toBe('expired');
    expect((await h.db.repos.subscriptions.getCurrentForUser(b.id))!.status).toBe('active');
  });

  it('auto-renew can be switched on only with a saved method', async () => {
    const user = await h.user();
    const sub = await h.billing.subscriptions.grantDays(user.id, 30);
    await expect(h.billing.subscriptions.setAutoRenew(sub.id, true)).rejects.toSatisfy((e) => isBillingError(e, 'NO_SAVED_METHOD'));
  });
});
