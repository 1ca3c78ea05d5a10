import { describe, expect, it } from 'vitest';
import { makeServer, useTestDatabase } from '../testing/index.js';

describe('servers repository', () => {
  const db = useTestDatabase();
  const servers = () => db().repos.servers;

  it('creates, updates (re-encrypting new credentials) and lists servers', async () => {
    const s = await makeServer(db().repos, {
      name: 'nl-1',
      panelKind: '3x-ui',
      capacity: 2,
      settings: { inboundId: 3 },
    });
    expect(s).toMatchObject({
      name: 'nl-1',
      panelKind: '3x-ui',
      healthStatus: 'unknown',
      usersCount: 0,
      weight: 1,
      settings: { inboundId: 3 },
    });
    await servers().update(s.id, { credentials: { token: 'new' }, weight: 5 });
    expect(await servers().getWithCredentials(s.id)).toMatchObject({
      weight: 5,
      credentials: { token: 'new' },
    });
    expect(await servers().findByName('nl-1')).toMatchObject({ id: s.id });
    await makeServer(db().repos, { active: false });
    expect((await servers().listActive()).map((x) => x.id)).toEqual([s.id]);
    expect(await servers().list()).toHaveLength(2);
  });

  it('counts users atomically and leaves full or down servers out of placement', async () => {
    const a = await makeServer(db().repos, { capacity: 10, weight: 2 });
    const b = await makeServer(db().repos, { capacity: 10, weight: 1 });
    await Promise.all(Array.from({ length: 10 }, () => servers().incrementUsersCount(a.id)));
    expect((await servers().get(a.id))?.usersCount).toBe(10);
    expect(await servers().incrementUsersCount(b.id, -5)).toBe(0);
    expect((await servers().listAvailable()).map((s) => s.id)).toEqual([b.id]);
    await servers().updateHealth(b.id, 'healthy', { latencyMs: 41.6 });
    expect(await servers().get(b.id)).toMatchObject({ healthStatus: 'healthy', latencyMs: 42 });
    await servers().updateHealth(b.id, 'down', 'connect ECONNREFUSED');
    expect(await servers().get(b.id)).toMatchObject({
      healthStatus: 'down',
      lastError: 'connect ECONNREFUSED',
      latencyMs: 42,
    });
    await servers().updateHealth(b.id, 'down', { lastError: 'timeout', latencyMs: null });
    expect(await servers().get(b.id)).toMatchObject({ lastError: 'timeout', latencyMs: null });
    expect(await servers().listAvailable()).toEqual([]);
    await servers().setUsersCount(a.id, 3);
    expect((await servers().listAvailable()).map((s) => s.id)).toEqual([a.id]);
  });
});
