import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { absorbCookies, useApiHarness, type Session } from '../testing/harness.js';

const h = useApiHarness();

describe('signing in to the admin API', () => {
  it('signs an admin in with the Login Widget: HttpOnly, Secure, SameSite=Strict cookies, the role, an audit row', async () => {
    const session = await h.signIn('finance');
    const me = await h.call(session, 'GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: session.adminId, role: 'finance' });
    expect(me.body.permissions).toContain('payments:refund');
    expect(me.body.permissions).not.toContain('customers:extend');

    const fresh = await h.call(null, 'POST', '/api/auth/telegram', h.widget(session.telegramId));
    const access = fresh.setCookies.find((c) => c.startsWith('vpn_access='))!;
    expect(access).toMatch(/HttpOnly/);
    expect(access).toMatch(/Secure/);
    expect(access).toMatch(/SameSite=Strict/);
    expect(fresh.setCookies.find((c) => c.startsWith('vpn_refresh='))).toMatch(/Path=\/api\/auth;.*HttpOnly/);
    const audit = await h.db.repos.auditLog.list({ entity: 'admin', entityId: String(session.adminId) });
    expect(audit.filter((a) => a.action === 'admin.sign_in')).toHaveLength(2);
  });

  it('refuses forged, tampered and day-old widget data, and Telegram accounts that are not staff', async () => {
    const session = await h.signIn('admin');
    const data = h.widget(session.telegramId);
    const forged = await h.call(null, 'POST', '/api/auth/telegram', { ...data, hash: 'a'.repeat(64) });
    expect(forged).toMatchObject({ status: 401, body: { error: 'login_hash' } });
    // Signed for one id, presented for another (an attacker editing the widget's output).
    const tampered = await h.call(null, 'POST', '/api/auth/telegram', { ...data, id: session.telegramId + 1 });
    expect(tampered).toMatchObject({ status: 401, body: { error: 'login_hash' } });
    const old = await h.call(
      null,
      'POST',
      '/api/auth/telegram',
      h.widget(session.telegramId, new Date(h.clock.now().getTime() - 86_401_000)),
    );
    expect(old).toMatchObject({ status: 401, body: { error: 'login_expired' } });
    const stranger = await h.call(null, 'POST', '/api/auth/telegram', h.widget(5_555_555));
    expect(stranger).toMatchObject({ status: 403, body: { error: 'not_staff' } });
    const junk = await h.call(null, 'POST', '/api/auth/telegram', { id: { nested: true } });
    expect(junk.status).toBe(422);
    expect(forged.setCookies).toEqual([]);
  });

  it('refuses an expired access token and a forged one, on cookie and Bearer alike', async () => {
    const session = await h.signIn('admin');
    const bearer = { authorization: `Bearer ${session.accessToken}` };
    expect((await h.call(null, 'GET', '/api/auth/me', undefined, bearer)).status).toBe(200);
    const [payload, sig] = session.accessToken.split('.');
    const raised = Buffer.from(JSON.stringify({ a: session.adminId + 1, f: 'x', e: 9_999_999_999 })).toString('base64url');
    expect((await h.call(null, 'GET', '/api/auth/me', undefined, { authorization: `Bearer ${raised}.${sig}` })).status).toBe(401);
    expect(payload).toBeTruthy();
    h.clock.advanceDays(1 / 96); // 15 minutes: the access token's lifetime
    const late = await h.call(null, 'GET', '/api/auth/me', undefined, bearer);
    expect(late).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect((await h.call(session, 'GET', '/api/auth/me')).status).toBe(401);
  });

  it('rotates the refresh token; presenting a used one again ends the whole sign-in', async () => {
    const session = await h.signIn('admin');
    const stolen = session.cookies.get('vpn_refresh')!;
    const first = await h.call(session, 'POST', '/api/auth/refresh');
    expect(first.status).toBe(200);
    expect(session.cookies.get('vpn_refresh')).not.toBe(stolen);
    session.csrf = first.body.csrfToken;
    expect((await h.call(session, 'GET', '/api/auth/me')).status).toBe(200);

    // The thief replays the token the victim already used.
    const thief: Session = { ...session, cookies: new Map([...session.cookies, ['vpn_refresh', stolen]]) };
    const replay = await h.call(thief, 'POST', '/api/auth/refresh');
    expect(replay.status).toBe(401);
    // Both are out: the victim's current refresh and access tokens stop working too.
    expect((await h.call(session, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await h.call(session, 'POST', '/api/auth/refresh')).status).toBe(401);
  });

  it('gives one new token pair when two refreshes race with the same token', async () => {
    const session = await h.signIn('admin');
    const copies = [0, 1, 2].map(() => ({ ...session, cookies: new Map(session.cookies) }));
    const results = await Promise.all(copies.map((s) => h.call(s, 'POST', '/api/auth/refresh')));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  });

  it('needs the CSRF header on cookie writes and on refresh', async () => {
    const session = await h.signIn('owner');
    const user = await h.customer();
    const noHeader = await h.call(session, 'POST', `/api/users/${user.id}/extend`, { days: 3 }, { 'x-csrf-token': '' });
    expect(noHeader).toMatchObject({ status: 403, body: { error: 'csrf' } });
    const wrong = await h.call(session, 'POST', `/api/users/${user.id}/extend`, { days: 3 }, { 'x-csrf-token': 'x'.repeat(32) });
    expect(wrong.status).toBe(403);
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toEqual([]);
    expect((await h.call(session, 'POST', '/api/auth/refresh', undefined, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await h.call(session, 'POST', `/api/users/${user.id}/extend`, { days: 3 })).status).toBe(200);
  });

  it('signs out everywhere, and a removed admin is out at once', async () => {
    const session = await h.signIn('admin');
    const bearer = { authorization: `Bearer ${session.accessToken}` };
    expect((await h.call(session, 'POST', '/api/auth/logout')).status).toBe(200);
    expect(session.cookies.has('vpn_access')).toBe(false);
    expect((await h.call(null, 'GET', '/api/auth/me', undefined, bearer)).status).toBe(401);

    const other = await h.signIn('support');
    await h.db.repos.admins.setActive(other.telegramId, false);
    expect((await h.call(other, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await h.call(other, 'POST', '/api/auth/refresh')).status).toBe(401);
  });

  it('signs in with a one-time code once', async () => {
    const session = await h.signIn('viewer');
    const code = await h.api.sessions.issueCode(session.adminId);
    const jar = new Map<string, string>();
    const first = await h.call(null, 'POST', '/api/auth/code', { code });
    absorbCookies(jar, first.setCookies);
    expect(first.status).toBe(200);
    expect(jar.get('vpn_access')).toBeTruthy();
    expect((await h.call(null, 'POST', '/api/auth/code', { code })).status).toBe(401);
    expect((await h.call(null, 'POST', '/api/auth/code', { code: randomUUID() })).status).toBe(401);
  });

  it('limits sign-in attempts per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await h.call(null, 'POST', '/api/auth/code', { code: randomUUID() })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
