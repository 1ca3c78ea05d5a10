import { afterEach, describe, expect, it } from 'vitest';
import { create3xuiEmulator, type XuiEmulator } from './xui.emulator.js';

let emulator: XuiEmulator;
afterEach(async () => emulator.close());

async function login(): Promise<string> {
  const res = await fetch(`${emulator.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(emulator.credentials),
  });
  expect(await res.json()).toMatchObject({ success: true });
  return (res.headers.getSetCookie()[0] ?? '').split(';')[0]!;
}
const post = (path: string, cookie: string, body: unknown) =>
  fetch(`${emulator.url}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const client = (email: string, id = crypto.randomUUID()) => ({
  id,
  email,
  flow: '',
  limitIp: 0,
  totalGB: 0,
  expiryTime: 0,
  enable: true,
  tgId: 0,
  subId: email,
  comment: '',
  reset: 0,
});

describe('3x-ui emulator fidelity (3x-ui.md)', () => {
  it('answers an unauthenticated call per version: 401/307, hidden 404, 3.1 401/404', async () => {
    const cases: Array<[string, Record<string, string>, number]> = [
      ['2.5.5', { 'x-requested-with': 'XMLHttpRequest' }, 401],
      ['2.5.5', {}, 307],
      ['2.8.5', { 'x-requested-with': 'XMLHttpRequest' }, 404],
      ['3.1.0', { 'x-requested-with': 'XMLHttpRequest' }, 401],
      ['3.1.0', {}, 404],
    ];
    emulator = await create3xuiEmulator();
    for (const [version, headers, status] of cases) {
      emulator.setVersion(version);
      const res = await fetch(`${emulator.url}/panel/api/inbounds/list`, { headers, redirect: 'manual' });
      expect([version, res.status]).toEqual([version, status]);
    }
  });

  it('a hidden-API v2 panel answers an empty 404 for an unknown API path even when logged in', async () => {
    emulator = await create3xuiEmulator({ version: '2.9.4' });
    const cookie = await login();
    const headers = { cookie, 'x-requested-with': 'XMLHttpRequest' };
    const unknown = await fetch(`${emulator.url}/panel/api/clients/list`, { headers });
    expect([unknown.status, await unknown.text()]).toEqual([404, '']);
    expect((await fetch(`${emulator.url}/panel/api/inbounds/list`, { headers })).status).toBe(200);
    emulator.setVersion('2.5.5');
    const older = await fetch(`${emulator.url}/panel/api/clients/list`, { headers });
    expect([older.status, await older.text()]).toEqual([404, '404 page not found']);
  });

  it('signals failures with success:false on HTTP 200 and the Go error text', async () => {
    emulator = await create3xuiEmulator();
    const cookie = await login();
    const add = (c: unknown, id = 1) => post('/panel/api/inbounds/addClient', cookie, { id, settings: JSON.stringify({ clients: [c] }) });
    expect(await (await add(client('Alice'))).json()).toMatchObject({ success: true });
    const dup = await add(client('alice'));
    expect(dup.status).toBe(200);
    expect(await dup.json()).toEqual({ success: false, msg: 'Something went wrong (Duplicate email: alice)', obj: null });
    expect(await (await add({ ...client('bob'), id: '' })).json()).toMatchObject({
      success: false,
      msg: expect.stringContaining('empty client ID'),
    });
    expect(await (await add(client('carol'), 42)).json()).toMatchObject({
      success: false,
      msg: expect.stringContaining('record not found'),
    });
    const unknown = await fetch(`${emulator.url}/panel/api/inbounds/getClientTraffics/nobody`, { headers: { cookie } });
    expect(await unknown.json()).toMatchObject({ success: false, msg: expect.stringContaining('Inbound Not Found For Email: nobody') });
  });

  it('keeps the inbound settings as a JSON string and counters apart; update keeps usage', async () => {
    emulator = await create3xuiEmulator({ version: '2.5.5' });
    const cookie = await login();
    const c = client('dave');
    await post('/panel/api/inbounds/addClient', cookie, { id: 1, settings: JSON.stringify({ clients: [c] }) });
    emulator.setUsedTraffic('dave', 500);
    await post(`/panel/api/inbounds/updateClient/${c.id}`, cookie, {
      id: 1,
      settings: JSON.stringify({ clients: [{ ...c, totalGB: 1000 }] }),
    });
    const inbound = (await (await fetch(`${emulator.url}/panel/api/inbounds/get/1`, { headers: { cookie } })).json()) as {
      obj: { settings: string; clientStats: null };
    };
    expect(typeof inbound.obj.settings).toBe('string');
    expect(JSON.parse(inbound.obj.settings).clients).toHaveLength(2);
    // GetInbound preloads no traffic rows (3x-ui.md "Corrections"): the counters are elsewhere.
    expect(inbound.obj.clientStats).toBeNull();
    const list = (await (await fetch(`${emulator.url}/panel/api/inbounds/list`, { headers: { cookie } })).json()) as {
      obj: Array<{ clientStats: Array<{ email: string; down: number; total: number }> }>;
    };
    expect(list.obj[0]?.clientStats.find((s) => s.email === 'dave')).toMatchObject({ down: 500, total: 1000 });
    const traffic = await fetch(`${emulator.url}/panel/api/inbounds/getClientTraffics/dave`, { headers: { cookie } });
    expect(((await traffic.json()) as { obj: unknown }).obj).toMatchObject({ down: 500, total: 1000 });
    const unknown = await fetch(`${emulator.url}/panel/api/inbounds/getClientTraffics/nobody`, { headers: { cookie } });
    expect(await unknown.json()).toEqual({ success: true, msg: '', obj: null });
  });

  it('requires CSRF on v3.0 cookie sessions and lets Bearer tokens through', async () => {
    emulator = await create3xuiEmulator({ version: '3.0.1' });
    const bare = await fetch(`${emulator.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(emulator.credentials),
    });
    expect(bare.status).toBe(403);
    const bearer = await fetch(`${emulator.url}/panel/api/inbounds/list`, { headers: { authorization: `Bearer ${emulator.apiToken}` } });
    expect(await bearer.json()).toMatchObject({ success: true });
  });
});
