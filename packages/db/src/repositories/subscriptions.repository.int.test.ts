import { describe, expect, it } from 'vitest';
import { DbError, VersionConflictError } from '../errors.js';
import { makePayment, makePlan, makeSubscription, makeUser, useTestDatabase } from '../testing/index.js';

const DAY = 86_400_000;

describe('subscriptions repository', () => {
  const db = useTestDatabase();
  const subs = () => db().repos.subscriptions;

  it('creates, reads and finds the one live subscription of a user', async () => {
    const plan = await makePlan(db().repos);
    const sub = await makeSubscription(db().repos, {
      planId: plan.id,
      trafficLimitBytes: 10 * 1024 ** 3,
      autoRenew: true,
    });
    expect(sub).toMatchObject({
      status: 'active',
      version: 1,
      isTrial: false,
      renewalFailures: 0,
      planId: plan.id,
      trafficLimitBytes: 10 * 1024 ** 3,
    });
    expect(await subs().get(sub.id)).toEqual(sub);
    expect(await subs().getCurrentForUser(sub.userId)).toMatchObject({ id: sub.id });
    expect(await subs().getLatestForUser(sub.userId)).toMatchObject({ id: sub.id });
  });

  it('allows only one live subscription per user, but keeps history', async () => {
    const user = await makeUser(db().repos);
    const first = await makeSubscription(db().repos, { userId: user.id });
    const error = await makeSubscription(db().repos, { userId: user.id, status: 'pending' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbError);
    expect(error).toMatchObject({ code: 'CONFLICT' });
    await subs().update(first.id, { status: 'expired' });
    const second = await makeSubscription(db().repos, { userId: user.id });
    expect(await subs().getCurrentForUser(user.id)).toMatchObject({ id: second.id });
    expect((await subs().listByUser(user.id)).map((s) => s.id)).toEqual([second.id, first.id]);
  });

  it('reads the live subscription, else the latest one, in one statement, as the model would', async () => {
    const user = await makeUser(db().repos);
    expect(await subs().getCurrentOrLatestForUser(user.id)).toBeNull();
    const older = await makeSubscription(db().repos, { userId: user.id });
    // The one-statement read returns exactly the record the model-based read does.
    expect(await subs().getCurrentOrLatestForUser(user.id)).toEqual(await subs().get(older.id));
    await subs().update(older.id, { status: 'expired' });
    const newer = await makeSubscription(db().repos, { userId: user.id, status: 'pending' });
    await subs().update(newer.id, { status: 'cancelled' });
    expect(await subs().getCurrentOrLatestForUser(user.id)).toMatchObject({ id: newer.id, status: 'cancelled' });
    // A live one wins over a newer ended one.
    await subs().update(older.id, { status: 'active' });
    expect(await subs().getCurrentOrLatestForUser(user.id)).toMatchObject({ id: older.id, status: 'active' });
  });

  it('bumps the version on every update and honours an expected version', async () => {
    const sub = await makeSubscription(db().repos);
    const ends = new Date(sub.endsAt!.getTime() + 30 * DAY);
    const v2 = await subs().update(sub.id, { endsAt: ends });
    expect(v2).toMatchObject({ version: 2, endsAt: ends });
    expect(await subs().update(sub.id, { autoRenew: true }, { expectedVersion: 2 })).toMatchObject({
      version: 3,
      autoRenew: true,
    });
    await expect(subs().update(sub.id, { autoRenew: false }, { expectedVersion: 2 })).rejects.toThrow(VersionConflictError);
    await expect(subs().update(999_999, { autoRenew: false })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await subs().get(sub.id))?.version).toBe(3);
  });

  it('serialises writers with lockForUpdate', async () => {
    const sub = await makeSubscription(db().repos);
    const extendBy30 = () =>
      db().transaction(async (transaction) => {
        const locked = await subs().lockForUpdate(sub.id, { transaction });
        await subs().update(sub.id, { endsAt: new Date(locked!.endsAt!.getTime() + 30 * DAY) }, { transaction });
      });
    await Promise.all([extendBy30(), extendBy30(), extendBy30()]);
    const after = await subs().get(sub.id);
    expect(after!.endsAt!.getTime() - sub.endsAt!.getTime()).toBe(90 * DAY);
    expect(after!.version).toBe(4);
  });

  it('lists what the reminder, expiry and auto-renew sweeps need', async () => {
    const now = Date.now();
    const soon = await makeSubscription(db().repos, {
      endsAt: new Date(now + 2 * DAY),
      autoRenew: true,
    });
    const later = await makeSubscription(db().repos, { endsAt: new Date(now + 20 * DAY) });
    const lapsed = await makeSubscription(db().repos, {
      startsAt: new Date(now - 40 * DAY),
      endsAt: new Date(now - DAY),
    });
    const failing = await makeSubscription(db().repos, {
      endsAt: new Date(now + DAY),
      autoRenew: true,
      renewalFailures: 2,
    });
    const retryLater = await makeSubscription(db().repos, {
      endsAt: new Date(now + DAY),
      autoRenew: true,
      nextRenewalAttemptAt: new Date(now + DAY),
    });

    const ending = await subs().listEndingBetween(new Date(now), new Date(now + 3 * DAY));
    expect(ending.map((s) => s.id).sort()).toEqual([soon.id, failing.id, retryLater.id].sort());
    expect((await subs().listExpiredButActive()).map((s) => s.id)).toEqual([lapsed.id]);
    const due = await subs().listDueForAutoRenew(new Date(now + 3 * DAY), { maxFailures: 2 });
    expect(due.map((s) => s.id)).toEqual([soon.id]);
    expect(later.id).toBeGreaterThan(0);
    expect(await subs().countByStatus()).toEqual({ active: 5 });
  });

  it('lists renewal candidates, active or already expired, in one query', async () => {
    const now = Date.now();
    const method = { autoRenew: true, savedPaymentMethodId: 'pm', savedPaymentProvider: 'yookassa' as const };
    const ending = await makeSubscription(db().repos, { ...method, endsAt: new Date(now + 6 * 3_600_000) });
    const swept = await makeSubscription(db().repos, {
      ...method,
      status: 'expired',
      startsAt: new Date(now - 31 * DAY),
      endsAt: new Date(now - DAY),
    });
    await makeSubscription(db().repos, {
      ...method,
      status: 'expired',
      startsAt: new Date(now - 40 * DAY),
      endsAt: new Date(now - 10 * DAY),
    });
    await makeSubscription(db().repos, { ...method, endsAt: new Date(now + 5 * DAY) });
    await makeSubscription(db().repos, { ...method, isTrial: true, endsAt: new Date(now + 3_600_000) });
    await makeSubscription(db().repos, { autoRenew: true, endsAt: new Date(now + 3_600_000) });
    await makeSubscription(db().repos, { ...method, renewalFailures: 2, endsAt: new Date(now + 3_600_000) });
    await makeSubscription(db().repos, { ...method, nextRenewalAttemptAt: new Date(now + 3_600_000), endsAt: new Date(now + 3_600_000) });
    const window = { from: new Date(now - 3 * DAY), to: new Date(now + DAY), now: new Date(now), maxFailures: 2 };
    const found = await subs().listRenewalCandidates(window);
    expect(found.map((s) => s.id)).toEqual([swept.id, ending.id]);
    expect((await subs().listRenewalCandidates({ ...window, limit: 1 })).map((s) => s.id)).toEqual([swept.id]);
  });

  it('writes the change and its history row in one statement', async () => {
    const user = await makeUser(db().repos);
    const payment = await makePayment(db().repos, { userId: user.id });
    const now = Date.now();
    const created = await subs().create(
      { userId: user.id, status: 'active', startsAt: new Date(now), endsAt: new Date(now + 30 * DAY), trafficLimitBytes: 2 ** 40 },
      { history: { kind: 'purchase', paymentId: payment.id, actor: 'test', data: { days: 30 } } },
    );
    expect(created).toMatchObject({ userId: user.id, status: 'active', version: 1, trafficLimitBytes: 2 ** 40, autoRenew: false });
    const extended = await subs().update(
      created.id,
      { endsAt: new Date(now + 60 * DAY), autoRenew: true },
      { expectedVersion: 1, history: { kind: 'renewal', fromStatus: 'active', fromEndsAt: created.endsAt, data: { days: 30 } } },
    );
    expect(extended).toMatchObject({ version: 2, autoRenew: true, endsAt: new Date(now + 60 * DAY) });
    const events = await db().repos.subscriptionEvents.listBySubscription(created.id);
    expect(events).toMatchObject([
      {
        kind: 'purchase',
        fromStatus: null,
        toStatus: 'active',
        fromEndsAt: null,
        toEndsAt: created.endsAt,
        paymentId: payment.id,
        actor: 'test',
        data: { days: 30 },
      },
      {
        kind: 'renewal',
        fromStatus: 'active',
        toStatus: 'active',
        fromEndsAt: created.endsAt,
        toEndsAt: extended.endsAt,
        paymentId: null,
        actor: 'system',
      },
    ]);
    // A refused change writes no history either.
    await expect(subs().update(created.id, { autoRenew: false }, { expectedVersion: 1, history: { kind: 'x' } })).rejects.toThrow(
      VersionConflictError,
    );
    await expect(subs().update(created.id, { bogus: 1 } as never)).rejects.toThrow(/unknown field bogus/);
    expect(await db().repos.subscriptionEvents.listBySubscription(created.id)).toHaveLength(2);
  });

  it('appends lifecycle events tied to the payment that caused them', async () => {
    const sub = await makeSubscription(db().repos);
    const payment = await makePayment(db().repos, { userId: sub.userId, subscriptionId: sub.id });
    const to = new Date(sub.endsAt!.getTime() + 30 * DAY);
    await db().repos.subscriptionEvents.append({
      subscriptionId: sub.id,
      kind: 'created',
      toStatus: 'active',
      toEndsAt: sub.endsAt,
    });
    await db().repos.subscriptionEvents.append({
      subscriptionId: sub.id,
      kind: 'extended',
      fromEndsAt: sub.endsAt,
      toEndsAt: to,
      paymentId: payment.id,
      actor: `payment:${payment.id}`,
      data: { days: 30 },
    });
    const events = await db().repos.subscriptionEvents.listBySubscription(sub.id);
    expect(events.map((e) => e.kind)).toEqual(['created', 'extended']);
    expect(events[1]).toMatchObject({
      fromEndsAt: sub.endsAt,
      toEndsAt: to,
      data: { days: 30 },
      actor: `payment:${payment.id}`,
    });
    expect((await db().repos.subscriptionEvents.listByPayment(payment.id)).map((e) => e.kind)).toEqual(['extended']);
  });
});
