import { afterEach, describe, expect, it } from 'vitest';
import { PANEL_KINDS } from '@vpn/db';
import { PanelError } from '../../adapter.js';
import { ADAPTER_FACTORIES } from '../../pool/adapter-registry.js';
import { createMarzbanEmulator, type MarzbanEmulator } from '../../testing/marzban/marzban.emulator.js';
import { linkCredential } from '../../provisioning/credential-identity.js';
import { createMarzbanAdapter } from './marzban.adapter.js';

let emulator: MarzbanEmulator;
afterEach(async () => emulator.close());

const expires = new Date('2031-01-01T00:00:00Z');
const spec = { key: 'vpn_s42', expiresAt: expires, trafficLimitBytes: 50 * 1024 ** 3, deviceLimit: 2, enabled: true, note: 'tg 1' };

describe('marzban adapter', () => {
  it('sends Marzban units and the VLESS REALITY inbound with the vision flow', async () => {
    emulator = await createMarzbanEmulator();
    const adapter = createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials });
    const user = await adapter.ensureUser(spec);
    const stored = emulator.user('vpn_s42')!;
    expect(stored.expire).toBe(1_924_992_000);
    expect(stored.data_limit).toBe(50 * 1024 ** 3);
    expect(stored.proxies.vless).toMatchObject({ flow: 'xtls-rprx-vision' });
    expect(stored.excluded).toEqual({ vless: [] });
    expect(user.links[0]).toMatch(/^vless:\/\/[0-9a-f-]{36}@vpn\.example\.com:443\?.*security=reality.*flow=xtls-rprx-vision/);
    expect(user.deviceLimit).toBeNull();
    expect(user.status).toBe('active');
  });

  it('makes a relative subscription URL absolute and the URL serves the links', async () => {
    emulator = await createMarzbanEmulator({ subscriptionUrlPrefix: '' });
    const adapter = createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials });
    const user = await adapter.ensureUser(spec);
    expect(user.subscriptionUrl).toMatch(new RegExp(`^${emulator.url}/sub/[A-Za-z0-9_-]+$`));
    const res = await fetch(user.subscriptionUrl!);
    expect(res.status).toBe(200);
    // The same credentials; the short id and SNI are picked again for every render (share.py).
    const served = Buffer.from(await res.text(), 'base64')
      .toString()
      .split('\n');
    expect(served.map(linkCredential)).toEqual(user.links.map(linkCredential));
    expect(res.headers.get('subscription-userinfo')).toBe(`upload=0; download=0; total=${spec.trafficLimitBytes}; expire=1924992000`);

    const publicBase = createMarzbanAdapter({
      baseUrl: emulator.url,
      ...emulator.credentials,
      subscriptionBaseUrl: 'https://sub.example.com/p/',
    });
    expect((await publicBase.getUser('vpn_s42'))!.subscriptionUrl).toMatch(/^https:\/\/sub\.example\.com\/p\/sub\//);
  });

  it('keeps an absolute subscription URL and a revoke invalidates the old one in a later second', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    emulator = await createMarzbanEmulator({ subscriptionUrlPrefix: 'https://sub.example.com', now: () => clock });
    const adapter = createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials });
    const before = await adapter.ensureUser(spec);
    expect(before.subscriptionUrl).toMatch(/^https:\/\/sub\.example\.com\/sub\//);
    clock += 2_000;
    const after = await adapter.revokeSubscription('vpn_s42');
    const path = (u: string): string => new URL(u).pathname;
    expect((await fetch(`${emulator.url}${path(before.subscriptionUrl!)}`)).status).toBe(404);
    expect((await fetch(`${emulator.url}${path(after.subscriptionUrl!)}`)).status).toBe(200);
    expect(after.links).not.toEqual(before.links);
  });

  it('reports a wrong password as auth without retrying the login in a loop', async () => {
    emulator = await createMarzbanEmulator();
    const adapter = createMarzbanAdapter({ baseUrl: emulator.url, username: 'admin', password: 'wrong' });
    const error = await adapter.getUser('vpn_s1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PanelError);
    expect((error as PanelError).code).toBe('auth');
    expect((error as PanelError).message).toContain('Incorrect username or password');
    expect(emulator.countRequests('POST /api/admin/token')).toBe(1);
  });

  it('refuses a key Marzban would not take, before calling the panel', async () => {
    emulator = await createMarzbanEmulator();
    const adapter = createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials });
    await expect(adapter.ensureUser({ ...spec, key: 'Bad-Key!' })).rejects.toMatchObject({ code: 'rejected' });
    expect(emulator.requests).toHaveLength(0);
  });

  it('refuses an unsupported version on the first ensureUser with a message an operator can act on', async () => {
    emulator = await createMarzbanEmulator();
    emulator.setVersion('v1.2.0');
    const adapter = createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials });
    const error = (await adapter.ensureUser(spec).catch((e: unknown) => e)) as PanelError;
    expect(error).toBeInstanceOf(PanelError);
    expect(error.code).toBe('unsupported_version');
    expect(error.message).toContain('Marzban v1.2.0 is not supported');
    // The panel kind it names is one the servers table holds and the pool builds an adapter for.
    const kind = /panel kind to "([a-z-]+)"/.exec(error.message)?.[1];
    expect(kind).toBe('pasarguard');
    expect(PANEL_KINDS).toContain(kind);
    expect(Object.keys(ADAPTER_FACTORIES)).toContain(kind);
    expect(emulator.userCount()).toBe(0);
    // Checked once: after a downgrade to a supported release the same adapter works (a failed check is not cached).
    emulator.setVersion('0.8.4');
    await adapter.ensureUser(spec);
    await adapter.getUser('vpn_s42');
    expect(emulator.countRequests('GET /api/system')).toBe(2);
    expect(emulator.userCount()).toBe(1);
  });

  it('a limited user stays limited when nothing changed, and a bigger limit re-activates it', async () => {
    emulator = await createMarzbanEmulator();
    const adapter = createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials });
    await adapter.ensureUser(spec);
    emulator.setUsedTraffic('vpn_s42', spec.trafficLimitBytes + 1);
    emulator.runReview();
    expect((await adapter.ensureUser(spec)).status).toBe('limited');
    expect((await adapter.ensureUser({ ...spec, trafficLimitBytes: spec.trafficLimitBytes * 2 })).status).toBe('active');
  });

  it('reports health with nodes and online users', async () => {
    emulator = await createMarzbanEmulator();
    emulator.setNodes([
      { id: 1, name: 'de-1', status: 'connected' },
      { id: 2, name: 'nl-1', status: 'error', message: 'timeout' },
    ]);
    const adapter = createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials });
    await adapter.ensureUser(spec);
    emulator.setOnline('vpn_s42');
    const health = await adapter.health();
    expect(health).toMatchObject({ ok: true, version: '0.8.4', usersTotal: 1, usersOnline: 1 });
    expect(health.nodes).toEqual([
      { name: 'de-1', connected: true },
      { name: 'nl-1', connected: false },
    ]);
    await emulator.close();
    const down = await adapter.health();
    expect(down.ok).toBe(false);
    expect(down.error).toMatch(/failed|ECONNREFUSED/);
    emulator = await createMarzbanEmulator();
  });
});
