import { makeServer, makeSubscription, useTestDatabase } from '@vpn/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanelError } from '../adapter.js';
import { createBreakerRegistry } from '../http/circuit-breaker.js';
import { createProvisioningService } from '../provisioning/provisioning.service.js';
import { create3xuiEmulator, type XuiEmulator } from '../testing/3x-ui/xui.emulator.js';
import { createMarzbanEmulator, type MarzbanEmulator } from '../testing/marzban/marzban.emulator.js';
import { marzbanServerRow, xuiServerRow } from '../testing/server-rows.js';
import { testPool } from '../testing/use-panel-emulators.js';
import { createServerPool, PlacementError } from './server-pool.js';

const spec = { key: 'vpn_s1', expiresAt: new Date(Date.now() + 86_400_000), trafficLimitBytes: null, deviceLimit: null, enabled: true };

describe('server pool (PostgreSQL + emulators)', () => {
  const db = useTestDatabase();
  let marzban: MarzbanEmulator;
  let xui: XuiEmulator;
  beforeAll(async () => {
    [marzban, xui] = await Promise.all([createMarzbanEmulator(), create3xuiEmulator()]);
  });
  afterAll(async () => Promise.all([marzban.close(), xui.close()]));
  const pool = () => testPool(db());

  it('builds the adapter by panel kind from the row and its decrypted credentials', async () => {
    const m = await makeServer(db().repos, { name: 'm', ...marzbanServerRow(marzban) });
    const x = await makeServer(db().repos, { name: 'x', ...xuiServerRow(xui) });
    const p = pool();
    const mz = await p.adapterFor(m.id);
    expect(mz.kind).toBe('marzban');
    expect(await p.adapterFor(m.id)).toBe(mz);
    await mz.ensureUser(spec);
    expect(marzban.user('vpn_s1')).toBeDefined();
    expect((await p.adapterFor(x.id)).kind).toBe('3x-ui');
    // Rotated credentials → a new adapter with them.
    await db().repos.servers.update(m.id, { credentials: { username: 'admin', password: 'wrong' } });
    const rotated = await p.adapterFor(m.id);
    expect(rotated).not.toBe(mz);
    await expect(rotated.getUser('vpn_s1')).rejects.toMatchObject({ code: 'auth' });
  });

  it('keeps the adapter and its session across counters and health probes: 50 accounts and 5 probes, one login', async () => {
    const m = await makeServer(db().repos, { name: 'storm', ...marzbanServerRow(marzban) });
    const p = pool();
    const provisioning = createProvisioningService({ db: db(), pool: p });
    const TOKEN = /^POST \/api\/admin\/token$/;
    const loginsBefore = marzban.countRequests(TOKEN);
    const first = await p.adapterFor(m.id);
    for (let i = 0; i < 50; i += 1) {
      const sub = await makeSubscription(db().repos);
      await provisioning.provision(sub.id, { reason: 'purchase' });
      if (i % 10 === 9) expect((await p.checkHealth(m.id)).status).toBe('healthy');
    }
    expect((await db().repos.servers.get(m.id))?.usersCount).toBe(50);
    // The emulator's request log: at most the one login of the token's lifetime (24 h).
    expect(marzban.countRequests(TOKEN) - loginsBefore).toBeLessThanOrEqual(1);
    expect(await p.adapterFor(m.id)).toBe(first);
    // A changed connection setting is a new adapter.
    await db().repos.servers.update(m.id, { baseUrl: `${marzban.url}/` });
    expect(await p.adapterFor(m.id)).not.toBe(first);
  });

  it('records health in the database: healthy, degraded, down, unsupported, misconfigured', async () => {
    const m = await makeServer(db().repos, { name: 'm', ...marzbanServerRow(marzban) });
    const broken = await makeServer(db().repos, { name: 'b', ...xuiServerRow(xui), settings: {} });
    const p = pool();
    expect(await p.checkHealth(m.id)).toMatchObject({ status: 'healthy', version: '0.8.4', error: null });
    const stored = await db().repos.servers.get(m.id);
    expect(stored).toMatchObject({ healthStatus: 'healthy', lastError: null });
    // The measured round trip is kept for placement and the admin's server list.
    expect(stored?.latencyMs).toEqual(expect.any(Number));

    marzban.setNodes([{ id: 1, name: 'de-1', status: 'error' }]);
    expect(await p.checkHealth(m.id)).toMatchObject({ status: 'degraded', error: 'nodes offline: de-1' });
    marzban.setNodes([]);

    marzban.setVersion('0.6.0');
    const unsupported = await p.checkHealth(m.id);
    expect(unsupported.status).toBe('down');
    expect((await db().repos.servers.get(m.id))?.lastError).toMatch(/Marzban 0\.6\.0 is not supported/);
    marzban.setVersion('0.8.4');

    marzban.faults.setUnavailable(true);
    expect((await p.checkHealth(m.id)).status).toBe('down');
    marzban.faults.setUnavailable(false);
    expect((await p.checkHealth(m.id)).status).toBe('healthy');

    expect(await p.checkHealth(broken.id)).toMatchObject({
      status: 'down',
      error: expect.stringContaining('settings.inboundId is required'),
    });
    expect((await p.checkAll()).map((r) => r.status)).toEqual(['healthy', 'down']);
  });

  it('places on the healthiest least-loaded server by weight and country, skipping open circuits', async () => {
    const repos = db().repos;
    const a = await makeServer(repos, { name: 'a', countryCode: 'NL', capacity: 10, weight: 1 });
    const b = await makeServer(repos, { name: 'b', countryCode: 'DE', capacity: 10, weight: 2 });
    await makeServer(repos, { name: 'c', countryCode: 'NL', active: false });
    await repos.servers.updateHealth(a.id, 'healthy');
    await repos.servers.updateHealth(b.id, 'healthy');
    await repos.servers.setUsersCount(a.id, 3);
    await repos.servers.setUsersCount(b.id, 4);
    const p = createServerPool({ servers: repos.servers, breakers: createBreakerRegistry({ failureThreshold: 1, cooldownMs: 60_000 }) });
    expect((await p.place()).id).toBe(b.id); // 4 users / weight 2 < 3 / 1
    expect((await p.place({ countryCode: 'NL' })).id).toBe(a.id);
    const breaker = p.breakers.get(b.id);
    await expect(breaker.run(() => Promise.reject(new PanelError('unreachable', 'panel down')))).rejects.toThrow('panel down');
    expect(breaker.state).toBe('open');
    expect((await p.place()).id).toBe(a.id);
    await repos.servers.setUsersCount(a.id, 10);
    await expect(p.place()).rejects.toBeInstanceOf(PlacementError);
    await expect(p.place({ countryCode: 'FI', strictCountry: true })).rejects.toThrow(/no server in FI/);
  });
});
