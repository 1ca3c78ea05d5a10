import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarzbanEmulator, type MarzbanEmulator } from './marzban.emulator.js';

let emulator: MarzbanEmulator;
let token: string;

async function call(
  method: string,
  path: string,
  body?: unknown,
  auth = true,
): Promise<{
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON in fidelity checks
  body: any;
  headers: Headers;
}> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // plain-text answers (500) stay text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

beforeAll(async () => {
  emulator = await createMarzbanEmulator();
  const res = await fetch(`${emulator.url}/api/admin/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(emulator.credentials),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(async () => emulator.close());

describe('marzban emulator fidelity (marzban.md)', () => {
  it('answers auth failures with the FastAPI shapes', async () => {
    const missing = await call('GET', '/api/users', undefined, false);
    expect(missing).toMatchObject({ status: 401, body: { detail: 'Not authenticated' } });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    token = 'x' + token;
    expect(await call('GET', '/api/users')).toMatchObject({ status: 401, body: { detail: 'Could not validate credentials' } });
    token = token.slice(1);
    const json = await fetch(`${emulator.url}/api/admin/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(422);
  });

  it('validates create like 0.8.4, flat 422 details included', async () => {
    expect(await call('POST', '/api/user', { username: 'ab', proxies: { vless: {} } })).toMatchObject({
      status: 422,
      body: { detail: { username: expect.any(String) } },
    });
    expect(await call('POST', '/api/user', { username: 'empty_p', proxies: {} })).toMatchObject({
      status: 422,
      body: { detail: { proxies: 'Value error, Each user needs at least one proxy' } },
    });
    expect(await call('POST', '/api/user', { username: 'vmess_u', proxies: { vmess: {} } })).toMatchObject({
      status: 400,
      body: { detail: 'Protocol ProxyTypes.VMess is disabled on your server' },
    });
    expect(await call('POST', '/api/user', { username: 'bad_in', proxies: { vless: {} }, inbounds: { vless: ['nope'] } })).toMatchObject({
      status: 422,
      body: { detail: { inbounds: "Value error, Inbound nope doesn't exist" } },
    });
    expect(await call('POST', '/api/user', '{"username": ', false)).toMatchObject({ status: 422 });
    expect(
      await call('POST', '/api/user', { username: 'Dup_User', proxies: { vless: {} }, inbounds: { vless: ['VLESS TCP REALITY'] } }),
    ).toMatchObject({ status: 200 });
    expect(await call('POST', '/api/user', { username: 'dup_user', proxies: { vless: {} } })).toMatchObject({
      status: 409,
      body: { detail: 'User already exists' },
    });
    expect((await call('GET', '/api/user/DUP_USER')).body.username).toBe('Dup_User');
  });

  it('stores a user created without proxies, answers 500, and breaks reads until deleted (§11.1)', async () => {
    expect((await call('POST', '/api/user', { username: 'broken_u' })).status).toBe(500);
    expect((await call('GET', '/api/user/broken_u')).status).toBe(500);
    expect((await call('GET', '/api/users')).status).toBe(500);
    expect(await call('DELETE', '/api/user/broken_u')).toMatchObject({ status: 200, body: { detail: 'User successfully deleted' } });
    expect((await call('GET', '/api/users')).status).toBe(200);
  });

  it('excludes every inbound when inbounds are omitted on create (§11.2)', async () => {
    const res = await call('POST', '/api/user', { username: 'no_inb', proxies: { vless: {} } });
    expect(res.body.links).toEqual([]);
    expect(res.body.excluded_inbounds).toEqual({ vless: ['VLESS TCP REALITY'] });
  });

  it('applies the modify, reset and revoke rules with their quirks', async () => {
    const created = await call('POST', '/api/user', {
      username: 'rules_u',
      proxies: { vless: {} },
      inbounds: { vless: ['VLESS TCP REALITY'] },
      expire: 1,
      next_plan: { data_limit: 1, expire: 1 },
    });
    expect(created.body.status).toBe('active'); // §11.10: create does not check expire
    emulator.runReview();
    expect((await call('GET', '/api/user/rules_u')).body.status).toBe('expired');
    const modified = await call('PUT', '/api/user/rules_u', { expire: Math.floor(Date.now() / 1000) + 3600 });
    expect(modified.body).toMatchObject({ status: 'active', next_plan: null });
    expect((await call('PUT', '/api/user/rules_u', { status: null })).status).toBe(422);
    const id = modified.body.proxies.vless.id;
    expect((await call('PUT', '/api/user/rules_u', { proxies: { vless: {} } })).body.proxies.vless.id).not.toBe(id);
    await call('PUT', '/api/user/rules_u', { status: 'disabled' });
    expect((await call('POST', '/api/user/rules_u/reset')).body.status).toBe('active'); // upstream bug §5.3
    expect(await call('POST', '/api/user/nobody/reset')).toMatchObject({ status: 404, body: { detail: 'User not found' } });
  });

  it('renders each read with a random REALITY short id and SNI, the UUID alone fixed (share.py)', async () => {
    await call('POST', '/api/user', { username: 'render_u', proxies: { vless: {} }, inbounds: { vless: ['VLESS TCP REALITY'] } });
    const reads = await Promise.all(Array.from({ length: 8 }, () => call('GET', '/api/user/render_u')));
    const links = reads.map((r) => r.body.links[0] as string);
    const params = links.map((l) => new URL(l).searchParams);
    expect(new Set(params.map((p) => `${p.get('sid')}|${p.get('sni')}`)).size).toBeGreaterThan(1);
    expect(new Set(links.map((l) => new URL(l).username))).toEqual(new Set([reads[0]!.body.proxies.vless.id]));
    const revoked = await call('POST', '/api/user/render_u/revoke_sub');
    expect(new URL(revoked.body.links[0] as string).username).not.toBe(reads[0]!.body.proxies.vless.id);
  });

  it('lists with offset/limit/search/sort and total before paging', async () => {
    const page = await call('GET', '/api/users?offset=1&limit=1&sort=-username');
    expect(page.body.users).toHaveLength(1);
    expect(page.body.total).toBe(emulator.userCount());
    expect((await call('GET', '/api/users?limit=0')).body.users).toHaveLength(emulator.userCount());
    expect((await call('GET', '/api/users?search=DUP')).body.total).toBe(1);
    expect(await call('GET', '/api/users?sort=bogus')).toMatchObject({
      status: 400,
      body: { detail: '"bogus" is not a valid sort option' },
    });
  });

  it('redirects a trailing slash and refuses a wrong method', async () => {
    expect((await call('GET', '/api/users/')).status).toBe(307);
    expect(await call('PATCH', '/api/user/x')).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } });
  });
});
