import { describe, expect, it } from 'vitest';
import { makeUser, useTestDatabase } from '../testing/index.js';

describe('sent notifications, outbox and audit log', () => {
  const db = useTestDatabase();

  it('lets exactly one sender claim a reminder, and releases it for a retry', async () => {
    const user = await makeUser(db().repos);
    const key = { userId: user.id, kind: 'expiry_reminder', reference: '17:2026-12-01:3d' };
    const claims = await Promise.all(Array.from({ length: 10 }, () => db().repos.sentNotifications.insertOnce(key)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await db().repos.sentNotifications.has(key)).toBe(true);
    expect(await db().repos.sentNotifications.insertOnce({ ...key, reference: '17:2026-12-01:1d' })).toBe(true);
    expect(await db().repos.sentNotifications.release(key)).toBe(true);
    expect(await db().repos.sentNotifications.insertOnce(key)).toBe(true);
  });

  it('claims a notification for one sender at a time; a claim older than the lease is taken again', async () => {
    const user = await makeUser(db().repos);
    const repo = db().repos.sentNotifications;
    const key = { userId: user.id, kind: 'payment_succeeded', reference: 'pay-1' };
    const claims = await Promise.all(Array.from({ length: 10 }, () => repo.claim(key, { leaseMs: 60_000 })));
    expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c === 'busy')).toHaveLength(9);
    // The sender died after claiming: once the lease is over, the next attempt claims it.
    await db().sequelize.query("UPDATE sent_notifications SET claimed_at = now() - interval '2 minutes' WHERE reference = 'pay-1'");
    expect(await repo.claim(key, { leaseMs: 60_000 })).toBe('claimed');
    expect(await repo.claim(key, { leaseMs: 60_000 })).toBe('busy');
    expect(await repo.markSent(key)).toBe(true);
    await db().sequelize.query("UPDATE sent_notifications SET claimed_at = now() - interval '2 minutes' WHERE reference = 'pay-1'");
    expect(await repo.claim(key, { leaseMs: 60_000 })).toBe('done');
    const dropped = { ...key, reference: 'pay-2' };
    expect(await repo.claim(dropped, { leaseMs: 0 })).toBe('claimed');
    await repo.markDropped(dropped);
    expect(await repo.claim(dropped, { leaseMs: 0 })).toBe('done');
  });

  it('dedupes outbox rows and hands each to exactly one concurrent dispatcher', async () => {
    const outbox = db().repos.outbox;
    for (let i = 0; i < 6; i++)
      await outbox.add({
        kind: 'provision',
        payload: { subscriptionId: i },
        dedupeKey: `provision:${i}`,
      });
    const dup = await outbox.add({
      kind: 'provision',
      payload: { subscriptionId: 0 },
      dedupeKey: 'provision:0',
    });
    expect(dup.inserted).toBe(false);
    await outbox.add({
      kind: 'notify',
      payload: {},
      dedupeKey: 'later',
      availableAt: new Date(Date.now() + 60_000),
    });

    const batches = await Promise.all([outbox.claim({ limit: 4 }), outbox.claim({ limit: 4 }), outbox.claim({ limit: 4 })]);
    const ids = batches.flat().map((m) => m.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(batches.flat().every((m) => m.status === 'dispatched' && m.attempts === 1)).toBe(true);

    await outbox.markDone(ids.slice(0, 4));
    expect(await outbox.release(ids[4]!, 'redis down', { maxAttempts: 5 })).toBe('pending');
    expect(await outbox.release(ids[5]!, 'bad payload', { maxAttempts: 1 })).toBe('failed');
    expect(await outbox.countByStatus()).toEqual({ done: 4, pending: 2, failed: 1 });
    expect((await outbox.claim({ kinds: ['provision'] })).map((m) => m.id)).toEqual([ids[4]]);
  });

  it('reclaims a dispatched row whose lease ran out', async () => {
    const { message } = await db().repos.outbox.add({
      kind: 'notify',
      payload: { a: 1 },
      dedupeKey: 'n1',
    });
    await db().repos.outbox.claim();
    expect(await db().repos.outbox.claim({ leaseMs: 60_000 })).toEqual([]);
    await db().sequelize.query("UPDATE outbox SET updated_at = now() - interval '2 minutes'");
    const again = await db().repos.outbox.claim({ leaseMs: 60_000 });
    expect(again.map((m) => [m.id, m.attempts])).toEqual([[message.id, 2]]);
  });

  it('appends audit entries and filters them newest first', async () => {
    const audit = db().repos.auditLog;
    const first = await audit.append({
      actorKind: 'admin',
      actorId: 6_000_000_001,
      action: 'plan.update',
      entity: 'plan',
      entityId: '1',
      data: { price: [19_900, 24_900] },
    });
    await audit.append({
      actorKind: 'system',
      action: 'subscription.expire',
      entity: 'subscription',
      entityId: '9',
    });
    expect((await audit.list()).map((e) => e.action)).toEqual(['subscription.expire', 'plan.update']);
    expect(await audit.list({ actorId: 6_000_000_001 })).toEqual([first]);
    expect(await audit.list({ entity: 'plan', entityId: '1' })).toHaveLength(1);
    expect((await audit.list({ beforeId: first.id + 1, limit: 1 })).map((e) => e.id)).toEqual([first.id]);
  });
});
