import { describe, expect, it } from 'vitest';
import { makePayment, makePlan, makeServer, makeSubscription, makeUser, useTestDatabase } from '../testing/index.js';

describe('broadcasts repository', () => {
  const db = useTestDatabase();
  const broadcasts = () => db().repos.broadcasts;

  it('selects the audience, skipping blocked users, and enqueues each recipient once', async () => {
    const subscriber = (await makeSubscription(db().repos)).userId;
    const expiredSub = await makeSubscription(db().repos);
    await db().repos.subscriptions.update(expiredSub.id, { status: 'expired' });
    const newcomer = await makeUser(db().repos, { languageCode: 'en' });
    const botBlocked = await makeUser(db().repos);
    await db().repos.users.markBotBlocked(botBlocked.telegramId);
    const banned = await makeUser(db().repos);
    await db().repos.users.setBlocked(banned.id, true, 'spam');

    expect(await broadcasts().countAudience({})).toBe(3);
    expect(await broadcasts().countAudience({ subscription: 'active' })).toBe(1);
    expect(await broadcasts().countAudience({ subscription: 'expired' })).toBe(1);
    expect(await broadcasts().countAudience({ subscription: 'none', language: 'en' })).toBe(1);

    const b = await broadcasts().create({
      text: '<b>News</b>',
      createdBy: 123,
      audience: { subscription: 'active' },
    });
    expect(b).toMatchObject({
      status: 'draft',
      audience: { subscription: 'active' },
      totalCount: 0,
    });
    expect(await broadcasts().enqueueDeliveries(b.id, {})).toBe(3);
    expect(await broadcasts().enqueueDeliveries(b.id, {})).toBe(3);
    const pending = await broadcasts().listPending(b.id);
    expect(pending.map((d) => d.userId).sort()).toEqual([subscriber, expiredSub.userId, newcomer.id].sort());
    expect(pending.find((d) => d.userId === newcomer.id)?.telegramId).toBe(newcomer.telegramId);
  });

  it('starts once, counts each delivery once, and finishes', async () => {
    const users = await Promise.all([makeUser(db().repos), makeUser(db().repos), makeUser(db().repos)]);
    const b = await broadcasts().create({
      text: 'hi',
      scheduledAt: new Date(Date.now() - 1000),
      status: 'scheduled',
    });
    expect((await broadcasts().listDue()).map((x) => x.id)).toEqual([b.id]);
    const starts = await Promise.all([
      broadcasts().setStatus(b.id, 'running', ['scheduled']),
      broadcasts().setStatus(b.id, 'running', ['scheduled']),
    ]);
    expect(starts.filter((s) => s !== null)).toHaveLength(1);
    expect(starts.find((s) => s)?.startedAt).toBeInstanceOf(Date);

    await broadcasts().enqueueDeliveries(b.id, {});
    const [d1, d2, d3] = await broadcasts().listPending(b.id);
    expect(await broadcasts().markDelivery(d1!.id, 'sent', { messageId: 99 })).toBe(true);
    expect(await broadcasts().markDelivery(d1!.id, 'sent', { messageId: 99 })).toBe(false);
    await broadcasts().markDelivery(d2!.id, 'blocked', {
      error: 'Forbidden: bot was blocked by the user',
    });
    await broadcasts().markDelivery(d3!.id, 'failed', { error: 'chat not found' });
    expect(await broadcasts().get(b.id)).toMatchObject({
      totalCount: users.length,
      sentCount: 1,
      blockedCount: 1,
      failedCount: 1,
    });
    expect(await broadcasts().listPending(b.id)).toEqual([]);
    expect((await broadcasts().listDeliveries(b.id, 'sent')).map((d) => d.messageId)).toEqual([99]);
    const done = await broadcasts().setStatus(b.id, 'done');
    expect(done?.finishedAt).toBeInstanceOf(Date);
    expect((await broadcasts().list()).map((x) => x.id)).toEqual([b.id]);
  });

  it('narrows the audience: expired within N days, trial only, never paid, by plan, by server', async () => {
    const r = db().repos;
    const source = 'aud-filters';
    const user = () => makeUser(r, { source });
    const plan = await makePlan(r);
    const server = await makeServer(r);
    // Paid, live on the plan and the server.
    const payer = await user();
    const live = await makeSubscription(r, { userId: payer.id, planId: plan.id });
    await r.vpnAccounts.upsertDesired({ subscriptionId: live.id, serverId: server.id, panelUserKey: `k${payer.id}`, desiredVersion: 1 });
    const payment = await makePayment(r, { userId: payer.id });
    await db().sequelize.query("UPDATE payments SET status = 'succeeded' WHERE id = $1", { bind: [payment.id] });
    // Ended 3 days ago, and 40 days ago.
    const recent = await user();
    const old = await user();
    for (const [u, days] of [
      [recent, 3],
      [old, 40],
    ] as const) {
      const endsAt = new Date(Date.now() - days * 86_400_000);
      const sub = await makeSubscription(r, { userId: u.id, startsAt: new Date(endsAt.getTime() - 30 * 86_400_000), endsAt });
      await r.subscriptions.update(sub.id, { status: 'expired' });
    }
    // Took the trial, never paid.
    const trialist = await user();
    await db().sequelize.query('UPDATE users SET trial_used_at = now() WHERE id = $1', { bind: [trialist.id] });

    const ids = async (audience: Parameters<ReturnType<typeof broadcasts>['countAudience']>[0]) => {
      const b = await broadcasts().create({ text: 'x', audience: { ...audience, source } });
      await broadcasts().start(b.id, ['draft']);
      return (await broadcasts().listDeliveries(b.id)).map((d) => d.userId).sort((a, c) => a - c);
    };
    expect(await ids({ subscription: 'expired', expiredWithinDays: 7 })).toEqual([recent.id]);
    expect(await ids({ subscription: 'expired' })).toEqual([recent.id, old.id].sort((a, c) => a - c));
    expect(await ids({ trialOnly: true })).toEqual([trialist.id]);
    expect(await ids({ neverPaid: true })).toEqual([recent.id, old.id, trialist.id].sort((a, c) => a - c));
    expect(await ids({ planId: plan.id })).toEqual([payer.id]);
    expect(await ids({ serverId: server.id })).toEqual([payer.id]);
    expect(await broadcasts().countAudience({ source, neverPaid: true })).toBe(3);
  });
});
