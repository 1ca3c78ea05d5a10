import { createPrivateKey, createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanelError, type PanelUserSpec } from '../../adapter.js';
import { createHttpClient } from '../../http/http-client.js';
import { createWgEasyEmulator, type WgEasyEmulator } from '../../testing/wg-easy/index.js';
import { parseWireGuardConfig, wireGuardConfigProblems } from './wg-conf.js';
import { createWgEasyAdapter } from './wg-easy.adapter.js';
import { send } from './wg-easy.backend.js';

const DAY = 86_400_000;
const spec = (key: string, over: Partial<PanelUserSpec> = {}): PanelUserSpec => ({
  key,
  expiresAt: new Date(Math.floor((Date.now() + 30 * DAY) / 1000) * 1000),
  trafficLimitBytes: 10 * 1024 ** 3,
  deviceLimit: 3,
  enabled: true,
  ...over,
});

/** The public key that belongs to a base64 X25519 private key (PKCS#8 wrapper of RFC 8410). */
function publicKeyOf(privateKey: string): string {
  const der = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), Buffer.from(privateKey, 'base64')]);
  const jwk = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url').toString('base64');
}

describe('wg-easy v15 adapter specifics', () => {
  let emu: WgEasyEmulator;
  const adapter = () => createWgEasyAdapter({ baseUrl: emu.url, ...emu.credentials, timeoutMs: 2_000 });
  beforeAll(async () => {
    emu = await createWgEasyEmulator({ version: '15.4.0' });
  });
  afterAll(() => emu.close());

  it('delivers a valid .conf whose keys belong to this client and this server', async () => {
    const user = await adapter().ensureUser(spec('vpn_conf'));
    expect(user).toMatchObject({ subscriptionUrl: null, links: [], trafficLimitBytes: null, deviceLimit: null });
    const conf = user.wireguardConfig ?? '';
    expect(wireGuardConfigProblems(conf)).toEqual([]);
    const { interface: iface, peers } = parseWireGuardConfig(conf);
    const stored = emu.client('vpn_conf')!;
    expect(publicKeyOf(iface.PrivateKey!)).toBe(stored.publicKey);
    expect(iface.Address).toBe(`${stored.ipv4Address}/32, ${stored.ipv6Address}/128`);
    expect(iface.DNS).toBe('1.1.1.1');
    expect(peers[0]).toMatchObject({
      PublicKey: emu.iface.publicKey,
      PresharedKey: stored.preSharedKey,
      AllowedIPs: '0.0.0.0/0, ::/0',
      Endpoint: 'vpn.example.com:51820',
    });
  });

  it('the full-object update changes expiry and the switch and keeps everything else', async () => {
    const a = adapter();
    await a.ensureUser(spec('vpn_keep'));
    const stored = emu.client('vpn_keep')!;
    // An operator tuned this client in the UI.
    Object.assign(stored, {
      dns: ['9.9.9.9'],
      allowedIps: ['10.0.0.0/8'],
      mtu: 1380,
      persistentKeepalive: 25,
      jC: 4,
      firewallIps: ['10.0.0.1/32'],
      serverEndpoint: 'edge.example.com',
      postUp: 'echo up',
    });
    const before = structuredClone(stored);
    const later = new Date(Math.floor((Date.now() + 90 * DAY) / 1000) * 1000);
    await a.ensureUser(spec('vpn_keep', { expiresAt: later, enabled: false }));
    const after = emu.client('vpn_keep')!;
    expect(after.expiresAt?.getTime()).toBe(later.getTime());
    expect(after.enabled).toBe(false);
    const { expiresAt: _e, enabled: _n, updatedAt: _u, ...rest } = after;
    const { expiresAt: _e2, enabled: _n2, updatedAt: _u2, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
  });

  it('the panel refuses a partial update, which is why the adapter reads first', async () => {
    await adapter().ensureUser(spec('vpn_partial'));
    const id = emu.client('vpn_partial')!.id;
    const res = await fetch(`${emu.url}/api/client/${id}`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('admin:admin-password').toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(res.status).toBe(400);
    // zod errors: statusMessage is only "Validation Error", the details are in message (§3).
    expect(await res.json()).toMatchObject({ statusMessage: 'Validation Error', message: expect.stringMatching(/name: Required/) });
    expect(emu.client('vpn_partial')!.enabled).toBe(true);
    // The adapter's error shows the details.
    const http = createHttpClient({
      baseUrl: emu.url,
      panel: 'wg-easy',
      headers: { authorization: `Basic ${Buffer.from('admin:admin-password').toString('base64')}` },
    });
    const error = await send(http, { method: 'POST', path: `/api/client/${id}`, json: { enabled: false } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PanelError);
    expect((error as PanelError).message).toMatch(/Validation Error: .*name: Required/);
  });

  it("answers Basic auth problems with the panel's statuses; the adapter reports auth", async () => {
    const call = (authorization?: string) => fetch(`${emu.url}/api/client`, { headers: authorization ? { authorization } : {} });
    expect((await call()).status).toBe(401);
    expect((await call('Bearer x')).status).toBe(400);
    expect((await call(`Basic ${Buffer.from('admin:wrong').toString('base64')}`)).status).toBe(401);
    const bad = createWgEasyAdapter({ baseUrl: emu.url, username: 'admin', password: 'wrong' });
    await expect(bad.connect()).rejects.toMatchObject({ code: 'auth', details: { status: 401 } });
  });

  it('an expired client is disabled by the cron, cannot be enabled, and is revived by a renewal', async () => {
    const a = adapter();
    await a.ensureUser(spec('vpn_exp', { expiresAt: new Date(Date.now() + DAY) }));
    emu.advanceTime(2 * DAY);
    expect((await a.getUser('vpn_exp'))!.enabled).toBe(false);
    await expect(a.setEnabled('vpn_exp', true)).rejects.toMatchObject({ code: 'rejected', details: { status: 422 } });
    const renewed = await a.ensureUser(spec('vpn_exp', { expiresAt: new Date(Date.now() + 40 * DAY) }));
    expect(renewed.enabled).toBe(true);
    emu.advanceTime(-2 * DAY);
  });

  it('cleans up duplicate names left by another process, keeping the oldest client', async () => {
    const a = adapter();
    const first = await a.ensureUser(spec('vpn_dup'));
    const auth = { authorization: `Basic ${Buffer.from('admin:admin-password').toString('base64')}`, 'content-type': 'application/json' };
    await fetch(`${emu.url}/api/client`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'vpn_dup', expiresAt: null }) });
    expect(emu.userKeys().filter((k) => k === 'vpn_dup')).toHaveLength(2);
    const again = await a.ensureUser(spec('vpn_dup'));
    expect(again.panelId).toBe(first.panelId);
    expect(emu.userKeys().filter((k) => k === 'vpn_dup')).toHaveLength(1);
  });

  it('reports usage from the live counters, which a panel restart zeroes', async () => {
    const a = adapter();
    await a.ensureUser(spec('vpn_use'));
    emu.setUsedTraffic('vpn_use', 777);
    expect(await a.getUser('vpn_use')).toMatchObject({ usedTrafficBytes: 777, onlineAt: expect.any(Date) });
    expect((await a.health()).usersOnline).toBeGreaterThanOrEqual(1);
    emu.restart();
    expect(await a.getUser('vpn_use')).toMatchObject({ usedTrafficBytes: 0, onlineAt: null });
  });

  it('hands out a one-time link that downloads the .conf, then 410 and 404 as the cron passes', async () => {
    const a = adapter();
    const user = await a.ensureUser(spec('vpn_otl'));
    emu.advanceTime(61_000);
    await a.getUser('vpn_otl'); // the cron runs now
    const link = await a.oneTimeLink('vpn_otl');
    expect(link).toMatch(new RegExp(`^${emu.url}/cnf/[0-9a-f]{16}$`));
    const first = await fetch(link);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe(user.wireguardConfig);
    emu.advanceTime(20_000);
    expect((await fetch(link)).status).toBe(410);
    emu.advanceTime(60_000);
    await a.getUser('vpn_otl');
    expect((await fetch(link)).status).toBe(404);
    emu.advanceTime(-141_000);
  });
});

describe('wg-easy v14 (legacy) adapter specifics', () => {
  let emu: WgEasyEmulator;
  beforeAll(async () => {
    emu = await createWgEasyEmulator({ version: '14.0.0' });
  });
  afterAll(() => emu.close());

  it('uses the raw password, stores no expiry, and serves a valid /24 config', async () => {
    const missing = await fetch(`${emu.url}/api/wireguard/client`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: 'Not Logged In' });
    // A Basic header crashes a protected v14's auth middleware (upstream #1260, #1564): the
    // adapter's v15 probe must not stop there.
    const basic = await fetch(`${emu.url}/api/information`, {
      headers: { authorization: `Basic ${Buffer.from('admin:x').toString('base64')}` },
    });
    expect([basic.status, await basic.json()]).toEqual([500, { statusCode: 500, stack: [] }]);
    await expect(createWgEasyAdapter({ baseUrl: emu.url, username: 'admin', password: 'wrong' }).connect()).rejects.toMatchObject({
      code: 'auth',
    });
    const a = createWgEasyAdapter({ baseUrl: emu.url, ...emu.credentials });
    expect((await a.connect()).version).toBe('14.0');
    const user = await a.ensureUser(spec('vpn_v14', { enabled: false }));
    expect(user).toMatchObject({ enabled: false, expiresAt: null, panelId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(wireGuardConfigProblems(user.wireguardConfig ?? '')).toEqual([]);
    expect(parseWireGuardConfig(user.wireguardConfig ?? '').interface.Address).toMatch(/^10\.8\.0\.\d+\/24$/);
    await expect(a.oneTimeLink('vpn_v14')).rejects.toMatchObject({ code: 'rejected' });
  });
});

describe('wg-easy v15 without access to GitHub', () => {
  let emu: WgEasyEmulator;
  beforeAll(async () => {
    emu = await createWgEasyEmulator({ version: '15.4.0', githubReachable: false });
  });
  afterAll(() => emu.close());

  it('answers /api/information with a 500 without login, and the adapter neither gates health nor provisioning on it', async () => {
    const info = await fetch(`${emu.url}/api/information`);
    expect(info.status).toBe(500);
    expect(await info.json()).toMatchObject({ statusMessage: 'Failed to fetch latest release' });
    const a = createWgEasyAdapter({ baseUrl: emu.url, ...emu.credentials });
    expect((await a.connect()).version).toBe('15');
    expect(await a.health()).toMatchObject({ ok: true });
    expect((await a.ensureUser(spec('vpn_nogh'))).wireguardConfig).toContain('[Interface]');
    // A wrong password still fails connect(): GET /api/client is the authenticated probe.
    await expect(createWgEasyAdapter({ baseUrl: emu.url, username: 'admin', password: 'wrong' }).connect()).rejects.toMatchObject({
      code: 'auth',
    });
  });
});
