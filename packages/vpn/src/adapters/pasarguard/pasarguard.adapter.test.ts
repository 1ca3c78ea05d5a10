import { afterEach, describe, expect, it } from 'vitest';
import type { PanelError } from '../../adapter.js';
import { createPasarGuardEmulator, type PasarGuardEmulator } from '../../testing/pasarguard/pasarguard.emulator.js';
import { createPasarGuardAdapter } from './pasarguard.adapter.js';

let emulator: PasarGuardEmulator;
afterEach(async () => emulator.close());

const spec = {
  key: 'vpn_s42',
  expiresAt: new Date('2031-01-01T00:00:00.456Z'),
  trafficLimitBytes: 50 * 1024 ** 3,
  deviceLimit: 3,
  enabled: true,
  note: 'tg 1',
};

describe('pasarguard adapter (the deltas to Marzban)', () => {
  it('creates with group_ids, an ISO expire, hwid_limit and the API key; 201 on create, 204 on delete', async () => {
    emulator = await createPasarGuardEmulator({
      groups: [
        { id: 4, name: 'NL' },
        { id: 7, name: 'DE' },
      ],
    });
    const sent: Array<{ url: string; headers: Record<string, string>; body: unknown }> = [];
    const recording: typeof fetch = (input, init) => {
      sent.push({
        url: input instanceof Request ? input.url : input.toString(),
        headers: init?.headers as Record<string, string>,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      });
      return fetch(input, init);
    };
    const adapter = createPasarGuardAdapter({ apiKey: emulator.apiKey, baseUrl: emulator.url, groupIds: [7], fetch: recording });
    const user = await adapter.ensureUser(spec);
    expect(emulator.requests.find((r) => r.method === 'POST' && r.path === '/api/user')?.status).toBe(201);
    const create = sent.find((r) => r.url.endsWith('/api/user') && r.body !== undefined)!;
    expect(create.headers['x-api-key']).toBe(emulator.apiKey);
    expect(create.body).toMatchObject({
      username: 'vpn_s42',
      group_ids: [7],
      expire: '2031-01-01T00:00:00+00:00',
      data_limit: 50 * 1024 ** 3,
      hwid_limit: 3,
    });
    expect(create.body).not.toHaveProperty('proxies');
    expect(emulator.user('vpn_s42')).toMatchObject({ group_ids: [7], hwid_limit: 3, expire: Date.parse('2031-01-01T00:00:00Z') });
    expect(user).toMatchObject({
      deviceLimit: 3,
      expiresAt: new Date('2031-01-01T00:00:00Z'),
      panelId: String(emulator.user('vpn_s42')!.id),
    });
    expect(user.subscriptionUrl).toMatch(new RegExp(`^${emulator.url}/sub/`));
    expect(emulator.loginCount()).toBe(0);
    await adapter.deleteUser('vpn_s42');
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
  });

  it('emulator: the subscription content renders a random short id and SNI per fetch; a revoke replaces the UUID', async () => {
    emulator = await createPasarGuardEmulator();
    const adapter = createPasarGuardAdapter({ apiKey: emulator.apiKey, baseUrl: emulator.url, groupIds: emulator.groupIds });
    const user = await adapter.ensureUser(spec);
    const content = async (url: string) => Buffer.from(await (await fetch(url)).text(), 'base64').toString('utf8');
    const links = await Promise.all(Array.from({ length: 8 }, () => content(user.subscriptionUrl!)));
    expect(new Set(links.map((l) => new URL(l).searchParams.get('sid') + '|' + new URL(l).searchParams.get('sni'))).size).toBeGreaterThan(
      1,
    );
    expect(new Set(links.map((l) => new URL(l).username))).toEqual(new Set([emulator.user('vpn_s42')!.vlessId]));
    const revoked = await adapter.revokeSubscription('vpn_s42');
    expect(new URL(await content(revoked.subscriptionUrl!)).username).not.toBe(new URL(links[0]!).username);
  });

  it('switches access with PUT /disabled and clears the device limit with null', async () => {
    emulator = await createPasarGuardEmulator();
    const adapter = createPasarGuardAdapter({ ...emulator.credentials, baseUrl: emulator.url, groupIds: emulator.groupIds });
    await adapter.ensureUser(spec);
    await adapter.setEnabled('vpn_s42', false);
    expect(emulator.countRequests('PUT /api/user/vpn_s42/disabled')).toBe(1);
    expect(emulator.user('vpn_s42')?.status).toBe('disabled');
    expect((await adapter.ensureUser({ ...spec, deviceLimit: null, expiresAt: null })).deviceLimit).toBeNull();
    expect(emulator.user('vpn_s42')).toMatchObject({ status: 'active', hwid_limit: null, expire: null });
  });

  it('the panel refuses a user without a group, so the adapter refuses a server without one up front', async () => {
    emulator = await createPasarGuardEmulator();
    expect(() => createPasarGuardAdapter({ apiKey: emulator.apiKey, baseUrl: emulator.url, groupIds: [] })).toThrow(
      /groupIds must list at least one group/,
    );
    const res = await fetch(`${emulator.url}/api/user`, {
      method: 'POST',
      headers: { 'x-api-key': emulator.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'vpn_s1' }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ detail: { group_ids: 'you must select at least one group' } });
  });

  it('reports a wrong API key as auth, and a Marzban release as unsupported', async () => {
    emulator = await createPasarGuardEmulator();
    const wrong = createPasarGuardAdapter({ apiKey: 'nope', baseUrl: emulator.url, groupIds: [1] });
    await expect(wrong.getUser('vpn_s1')).rejects.toMatchObject({ code: 'auth' });
    emulator.setVersion('0.8.4');
    const error = (await createPasarGuardAdapter({ apiKey: emulator.apiKey, baseUrl: emulator.url, groupIds: [1] })
      .ensureUser(spec)
      .catch((e: unknown) => e)) as PanelError;
    expect(error).toMatchObject({ code: 'unsupported_version', message: expect.stringContaining('panel kind "marzban"') });
  });
});
