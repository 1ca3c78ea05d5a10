import { describe, expect, it } from 'vitest';
import { makeServer } from '@vpn/db/testing';
import { isBillingError } from '@vpn/billing';
import { refusal, useBackofficeHarness } from '../testing/index.js';

const billingCode = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isBillingError(e) ? e.code : String(e)),
  );

const DAY = 86_400_000;

describe('subscription actions on the real database', () => {
  const h = useBackofficeHarness();

  it('extend adds days to a running subscription from its end, with one audit entry in the same transaction', async () => {
    const support = await h.actor('support');
    const user = await h.customer();
    const plan = await h.plan();
    await h.purchase(user, plan);
    const before = await h.db.repos.subscriptions.getCurrentForUser(user.id);
    const change = await h.backoffice.customers.extend(support, { userId: user.id, days: 7, reason: 'outage compensation' });
    expect(change.after.endsAt!.getTime() - before!.endsAt!.getTime()).toBe(7 * DAY);
    const [entry, ...rest] = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) });
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      actorKind: 'admin',
      actorId: support.adminId,
      action: 'customer.extend',
      data: {
        before: { endsAt: before!.endsAt!.toISOString(), status: 'active' },
        after: { endsAt: change.after.endsAt!.toISOString(), status: 'active' },
        reason: 'outage compensation',
        days: 7,
      },
    });
    // The subscription history names the staff member; provisioning of the new version is queued.
    const events = await h.db.repos.subscriptionEvents.listBySubscription(change.after.id);
    expect(events.at(-1)).toMatchObject({
      kind: 'grant',
      actor: `admin:${support.adminId}`,
      data: { days: 7, note: 'outage compensation' },
    });
    const keys = (await h.drainOutbox()).map((r) => r.dedupeKey);
    expect(keys).toContain(`provision:sub:${change.after.id}:v${change.after.version}`);
  });

  it('extend gives a customer without a subscription a new one from now', async () => {
    const admin = await h.actor('admin');
    const user = await h.customer();
    const change = await h.backoffice.customers.extend(admin, { userId: user.id, days: 3 });
    expect(change.before).toBeNull();
    expect(change.after).toMatchObject({ status: 'active', userId: user.id });
    expect(change.after.endsAt!.getTime() - h.clock.now().getTime()).toBe(3 * DAY);
  });

  it('shorten takes days off the end, never before now (cancelled when nothing is left), and refuses when nothing runs', async () => {
    const admin = await h.actor('admin');
    const user = await h.customer();
    await h.backoffice.customers.extend(admin, { userId: user.id, days: 30 });
    const cut = await h.backoffice.customers.shorten(admin, { userId: user.id, days: 10, reason: 'abuse' });
    expect(cut.before!.endsAt!.getTime() - cut.after.endsAt!.getTime()).toBe(10 * DAY);
    expect(cut.after).toMatchObject({ status: 'active', autoRenew: false });
    const gone = await h.backoffice.customers.shorten(admin, { userId: user.id, days: 100 });
    expect(gone.after).toMatchObject({ status: 'cancelled', endsAt: h.clock.now() });
    expect(await refusal(h.backoffice.customers.shorten(admin, { userId: user.id, days: 1 }))).toBe('NOT_ALLOWED');
    const actions = (await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) })).map((e) => e.action);
    expect(actions).toEqual(['customer.shorten', 'customer.shorten', 'customer.extend']);
  });

  it('grant a plan puts the customer on it with its limits for N more days, without a payment', async () => {
    const admin = await h.actor('admin');
    const user = await h.customer();
    const premium = await h.plan({ code: 'premium', trafficLimitBytes: 500 * 1024 ** 3, deviceLimit: 5, active: false });
    const change = await h.backoffice.customers.grantPlan(admin, { userId: user.id, planId: premium.id, days: 14, reason: 'VIP' });
    expect(change.after).toMatchObject({
      planId: premium.id,
      isTrial: false,
      trafficLimitBytes: 500 * 1024 ** 3,
      deviceLimit: 5,
      status: 'active',
    });
    expect(await h.db.repos.payments.listByUser(user.id)).toEqual([]);
    const [entry] = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) });
    expect(entry).toMatchObject({
      action: 'customer.grant_plan',
      data: { planId: premium.id, days: 14, before: null, after: { planId: premium.id } },
    });
    expect(await refusal(h.backoffice.customers.grantPlan(admin, { userId: user.id, planId: 999_999, days: 1 }))).toBe('NOT_FOUND');
  });

  it('move puts the running subscription on another server that can take it; a drained or full one is refused', async () => {
    const support = await h.actor('support');
    const user = await h.customer();
    const from = await makeServer(h.db.repos, { name: 'from' });
    const to = await makeServer(h.db.repos, { name: 'to' });
    const drained = await makeServer(h.db.repos, { name: 'drained', weight: 0 });
    const full = await makeServer(h.db.repos, { name: 'full', capacity: 0 });
    const sub = await h.backoffice.customers.extend(support, { userId: user.id, days: 30 });
    await h.db.repos.subscriptions.update(sub.after.id, { serverId: from.id });
    const moved = await h.backoffice.customers.moveToServer(support, { userId: user.id, serverId: to.id, reason: 'node overloaded' });
    expect(moved.before!.serverId).toBe(from.id);
    expect(moved.after.serverId).toBe(to.id);
    const outbox = await h.drainOutbox();
    expect(outbox.at(-1)).toMatchObject({
      kind: 'provision',
      payload: { subscriptionId: sub.after.id, version: moved.after.version, reason: 'move' },
    });
    expect(await refusal(h.backoffice.customers.moveToServer(support, { userId: user.id, serverId: drained.id }))).toBe(
      'NOT_ALLOWED:serverId',
    );
    expect(await refusal(h.backoffice.customers.moveToServer(support, { userId: user.id, serverId: full.id }))).toBe(
      'NOT_ALLOWED:serverId',
    );
    expect(await refusal(h.backoffice.customers.moveToServer(support, { userId: user.id, serverId: to.id }))).toBe('INVALID_INPUT');
    const [entry] = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) });
    expect(entry).toMatchObject({
      action: 'customer.move',
      data: { serverId: to.id, before: { serverId: from.id }, after: { serverId: to.id } },
    });
  });

  it('reset the trial lets a customer whose trial ended take it once more, and is refused while access runs', async () => {
    const support = await h.actor('support');
    const user = await h.customer();
    const trial = await h.billing.trial.startTrial(user.id);
    expect(await refusal(h.backoffice.customers.resetTrial(support, { userId: user.id }))).toBe('NOT_ALLOWED');
    h.clock.advanceDays(10);
    expect(await billingCode(h.billing.trial.startTrial(user.id))).toBe('TRIAL_ALREADY_USED');
    const after = await h.backoffice.customers.resetTrial(support, { userId: user.id, reason: 'VPN was down all trial' });
    expect(after).toMatchObject({ trialUsedAt: null });
    expect(after.trialResetAt).toBeInstanceOf(Date);
    const again = await h.billing.trial.startTrial(user.id);
    expect(again).toMatchObject({ id: trial.id, status: 'active', isTrial: true });
    // Exactly one more trial.
    h.clock.advanceDays(10);
    expect(await billingCode(h.billing.trial.startTrial(user.id))).toBe('TRIAL_ALREADY_USED');
    const [entry] = await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) });
    expect(entry).toMatchObject({
      action: 'customer.reset_trial',
      data: { before: { trialResetAt: null }, reason: 'VPN was down all trial' },
    });
  });

  it('validates days, ids and reasons before anything is written', async () => {
    const admin = await h.actor('admin');
    const user = await h.customer();
    for (const days of [0, -1, 3651, 1.5, Number.NaN, '7' as unknown as number]) {
      expect(await refusal(h.backoffice.customers.extend(admin, { userId: user.id, days }))).toBe('INVALID_INPUT:days');
    }
    expect(await refusal(h.backoffice.customers.extend(admin, { userId: 0, days: 1 }))).toBe('INVALID_INPUT:userId');
    expect(await refusal(h.backoffice.customers.extend(admin, { userId: user.id, days: 1, reason: 'x'.repeat(501) }))).toBe(
      'INVALID_INPUT:reason',
    );
    expect(await refusal(h.backoffice.customers.extend(admin, { userId: user.id, days: 1, reason: 'bad\u0000byte' }))).toBe(
      'INVALID_INPUT:reason',
    );
    expect(await refusal(h.backoffice.customers.extend(admin, { userId: 987_654_321, days: 1 }))).toBe('NOT_FOUND');
    expect(await h.db.repos.auditLog.list()).toEqual([]);
    expect(await h.db.repos.subscriptions.getLatestForUser(user.id)).toBeNull();
  });
});
