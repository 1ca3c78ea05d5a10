import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanelError, type PanelUserSpec } from '../../adapter.js';
import { createRemnawaveEmulator, type RemnawaveEmulator } from '../../testing/remnawave/index.js';
import { createRemnawaveAdapter } from './remnawave.adapter.js';

const DAY = 86_400_000;
const spec = (key: string, over: Partial<PanelUserSpec> = {}): PanelUserSpec => ({
  key,
  expiresAt: new Date(Date.now() + 30 * DAY),
  trafficLimitBytes: 50 * 1024 ** 3,
  deviceLimit: 2,
  enabled: true,
  note: 'tg 1001',
  ...over,
});

const adapterFor = (emu: RemnawaveEmulator, over: { timeoutMs?: number; squads?: string[] } = {}) =>
  createRemnawaveAdapter({ baseUrl: emu.url, apiToken: emu.apiToken, timeoutMs: over.timeoutMs ?? 2_000, squads: over.squads });

describe.each([
  { version: '3.3.2', serveMetadata: true, pathId: /^\/api\/users\/\d+\/actions\/disable$/ },
  { version: '2.8.1', serveMetadata: true, pathId: /^\/api\/users\/[0-9a-f-]{36}\/actions\/disable$/ },
  // An early 2.x without the metadata route: the generation is probed from the user path.
  { version: '2.1.0', serveMetadata: false, pathId: /^\/api\/users\/[0-9a-f-]{36}\/actions\/disable$/ },
])('Remnawave $version paths', ({ version, serveMetadata, pathId }) => {
  let emu: RemnawaveEmulator;
  beforeAll(async () => {
    emu = await createRemnawaveEmulator({ version, serveMetadata, squads: ['Default-Squad', 'Extra'] });
  });
  afterAll(() => emu.close());

  it("connects, creates in the configured squad, and addresses the user with the generation's id", async () => {
    const adapter = adapterFor(emu, { squads: ['Extra'] });
    expect((await adapter.connect()).version).toBe(serveMetadata ? version : '2.x');
    const created = await adapter.ensureUser(spec('vpn_p1'));
    expect(created.subscriptionUrl).toMatch(/^https:\/\/sub\.example\.com\/\w{16}$/);
    expect(emu.user('vpn_p1')?.squads).toEqual([emu.squads[1]?.uuid]);
    await adapter.setEnabled('vpn_p1', false);
    expect(emu.requests.some((r) => r.method === 'POST' && pathId.test(r.path))).toBe(true);
    expect((await adapter.getUser('vpn_p1'))?.enabled).toBe(false);
    await adapter.deleteUser('vpn_p1');
    expect(emu.user('vpn_p1')).toBeUndefined();
  });
});

describe('Remnawave adapter against the 3.x emulator', () => {
  let emu: RemnawaveEmulator;
  beforeAll(async () => {
    emu = await createRemnawaveEmulator({ nodes: [{ name: 'de-1' }, { name: 'nl-1', connected: false }] });
  });
  afterAll(() => emu.close());

  it('is refused by the panel without the forwarded headers, so the adapter working proves it sends them', async () => {
    // Like the real panel, the emulator drops the connection without an HTTP answer.
    const bare = fetch(`${emu.url}/api/users?start=0&size=1`, { headers: { authorization: `Bearer ${emu.apiToken}` } });
    await expect(bare).rejects.toThrow(/fetch failed/);
    const httpOnly = fetch(`${emu.url}/api/users?start=0&size=1`, {
      headers: { authorization: `Bearer ${emu.apiToken}`, 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' },
    });
    await expect(httpOnly).rejects.toThrow(/fetch failed/);
    expect((await adapterFor(emu).listUsers({ offset: 0, limit: 10 })).total).toBeGreaterThanOrEqual(0);
  });

  it('refuses squads that are not on the panel or not a list, naming what is there', async () => {
    await expect(adapterFor(emu, { squads: ['Nope'] }).connect()).rejects.toMatchObject({
      code: 'rejected',
      message: expect.stringContaining('Default-Squad'),
    });
    const misconfigured = createRemnawaveAdapter({
      baseUrl: emu.url,
      apiToken: emu.apiToken,
      squads: 'Default-Squad' as unknown as string[],
    });
    await expect(misconfigured.connect()).rejects.toMatchObject({ code: 'rejected', message: expect.stringContaining('settings.squads') });
  });

  it('reports a wrong token as an auth error', async () => {
    const bad = createRemnawaveAdapter({ baseUrl: emu.url, apiToken: 'nope' });
    await expect(bad.connect()).rejects.toMatchObject({ code: 'auth', details: { status: 401 } });
  });

  it('renews an EXPIRED user when a new future expiry arrives, keeping used traffic', async () => {
    const adapter = adapterFor(emu);
    await adapter.ensureUser(spec('vpn_exp', { expiresAt: new Date(Date.now() + DAY) }));
    emu.setUsedTraffic('vpn_exp', 1234);
    emu.advanceTime(2 * DAY);
    expect((await adapter.getUser('vpn_exp'))?.status).toBe('expired');
    const renewed = await adapter.ensureUser(spec('vpn_exp', { expiresAt: new Date(Date.now() + 40 * DAY) }));
    expect(renewed).toMatchObject({ status: 'active', enabled: true, usedTrafficBytes: 1234 });
    emu.advanceTime(-2 * DAY);
  });

  it('resets traffic, lifting LIMITED, and revoke rotates the subscription URL', async () => {
    const adapter = adapterFor(emu);
    const first = await adapter.ensureUser(spec('vpn_lim', { trafficLimitBytes: 1000 }));
    emu.setUsedTraffic('vpn_lim', 1500);
    expect((await adapter.getUser('vpn_lim'))?.status).toBe('limited');
    await adapter.resetTraffic('vpn_lim');
    expect(await adapter.getUser('vpn_lim')).toMatchObject({ status: 'active', usedTrafficBytes: 0 });
    const revoked = await adapter.revokeSubscription('vpn_lim');
    expect(revoked.subscriptionUrl).not.toBe(first.subscriptionUrl);
    expect(emu.user('vpn_lim')?.subRevokedAt).toBeInstanceOf(Date);
  });

  it('reports health with user counts and nodes', async () => {
    const health = await adapterFor(emu).health();
    expect(health).toMatchObject({
      ok: true,
      version: '3.3.2',
      nodes: [
        { name: 'de-1', connected: true },
        { name: 'nl-1', connected: false },
      ],
    });
    expect(health.usersTotal).toBe(emu.userCount());
  });

  it('refuses a key the panel cannot take as a username without calling it', async () => {
    const before = emu.countRequests('POST /api/users');
    await expect(adapterFor(emu).ensureUser(spec('a b'))).rejects.toMatchObject({ code: 'rejected' });
    expect(emu.countRequests('POST /api/users')).toBe(before);
  });

  it('two concurrent ensures of one key make one account (A019 → modify)', async () => {
    const adapter = adapterFor(emu);
    const [a, b] = await Promise.all([adapter.ensureUser(spec('vpn_race')), adapter.ensureUser(spec('vpn_race', { deviceLimit: 5 }))]);
    expect(a.panelId).toBe(b.panelId);
    // Both saw no user and created; the loser got A019 and modified the winner's account.
    expect(
      emu.requests
        .filter((r) => r.method === 'POST' && r.path === '/api/users')
        .slice(-2)
        .map((r) => r.status)
        .sort(),
    ).toEqual([201, 400]);
    expect(emu.user('vpn_race')?.hwidDeviceLimit).toBeGreaterThanOrEqual(2);
    const all = await adapter.listUsers({ offset: 0, limit: 1000 });
    expect(all.users.filter((u) => u.key === 'vpn_race')).toHaveLength(1);
  });

  it('refuses unsupported panel versions with a clear message', async () => {
    for (const version of ['1.6.18', '4.0.0']) {
      const old = await createRemnawaveEmulator({ version });
      try {
        const error = await adapterFor(old)
          .connect()
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PanelError);
        expect(error).toMatchObject({ code: 'unsupported_version', message: expect.stringContaining(version) });
      } finally {
        await old.close();
      }
    }
  });
});

describe('Remnawave: disabling a customer the panel already limited or expired', () => {
  let emu: RemnawaveEmulator;
  beforeAll(async () => {
    emu = await createRemnawaveEmulator();
  });
  afterAll(() => emu.close());

  it('disables a LIMITED or EXPIRED user through the action (the panel ignores a PATCH DISABLED on them)', async () => {
    const adapter = adapterFor(emu);
    const limited = spec('vpn_lim', { trafficLimitBytes: 1024 ** 3 });
    await adapter.ensureUser(limited);
    emu.setUsedTraffic('vpn_lim', 2 * 1024 ** 3);
    expect((await adapter.getUser('vpn_lim'))?.status).toBe('limited');
    // A refund: the customer must lose access, not get it back at the next traffic reset.
    const off = await adapter.ensureUser({ ...limited, enabled: false });
    expect(off).toMatchObject({ enabled: false, status: 'disabled' });
    expect(emu.user('vpn_lim')?.status).toBe('DISABLED');
    expect(emu.countRequests(/^POST \/api\/users\/[^/]+\/actions\/disable$/)).toBeGreaterThanOrEqual(1);
    // Ensuring the same again changes nothing.
    const before = emu.requests.length;
    await adapter.ensureUser({ ...limited, enabled: false });
    expect(emu.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);

    await adapter.ensureUser(spec('vpn_exp'));
    emu.advanceTime(31 * DAY);
    expect((await adapter.getUser('vpn_exp'))?.status).toBe('expired');
    await adapter.ensureUser(spec('vpn_exp', { enabled: false, expiresAt: new Date(Date.now() - DAY) }));
    expect(emu.user('vpn_exp')?.status).toBe('DISABLED');
  });
});
