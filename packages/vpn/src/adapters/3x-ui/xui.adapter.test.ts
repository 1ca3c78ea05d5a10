import { afterEach, describe, expect, it } from 'vitest';
import { PanelError } from '../../adapter.js';
import { create3xuiEmulator, type XuiEmulator } from '../../testing/3x-ui/xui.emulator.js';
import { createXuiAdapter, type XuiAdapterOptions } from './xui.adapter.js';

let emulator: XuiEmulator;
afterEach(async () => emulator.close());

const spec = {
  key: 'vpn_s7',
  expiresAt: new Date('2031-01-01T00:00:00Z'),
  trafficLimitBytes: 10 * 1024 ** 3,
  deviceLimit: 2,
  enabled: true,
  note: 'tg 7',
};
async function setup(version = '2.8.5', over: Partial<XuiAdapterOptions> = {}) {
  emulator = await create3xuiEmulator({ version });
  return createXuiAdapter({
    ...emulator.credentials,
    baseUrl: emulator.url,
    inboundId: emulator.inboundId,
    subscriptionBaseUrl: emulator.subscriptionBaseUrl,
    ...over,
  });
}

describe('3x-ui adapter', () => {
  it('stores bytes and milliseconds, the vision flow, limitIp and a subId; the sub server serves it', async () => {
    const adapter = await setup();
    const user = await adapter.ensureUser(spec);
    expect(emulator.client('vpn_s7')).toMatchObject({
      totalGB: 10 * 1024 ** 3,
      expiryTime: 1_924_992_000_000,
      limitIp: 2,
      flow: 'xtls-rprx-vision',
      enable: true,
      comment: 'tg 7',
      tgId: 0,
    });
    expect(user.links[0]).toMatch(
      /^vless:\/\/[0-9a-f-]{36}@127\.0\.0\.1:443\?.*security=reality.*pbk=emuPublicKeyBase64.*sni=www\.example\.com.*sid=6ba85179e30d4fc2.*flow=xtls-rprx-vision/,
    );
    const res = await fetch(user.subscriptionUrl!);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.text(), 'base64').toString()).toContain(user.panelId);
    expect(res.headers.get('subscription-userinfo')).toBe(`upload=0; download=0; total=${10 * 1024 ** 3}; expire=1924992000`);
  });

  it('revoke rotates the uuid and the subId: the old subscription answers 400 Error!', async () => {
    const adapter = await setup();
    const before = await adapter.ensureUser(spec);
    const after = await adapter.revokeSubscription('vpn_s7');
    expect(after.panelId).not.toBe(before.panelId);
    const old = await fetch(before.subscriptionUrl!);
    expect(old.status).toBe(400);
    expect(await old.text()).toBe('Error!');
    expect((await fetch(after.subscriptionUrl!)).status).toBe(200);
  });

  it('logs in again after a panel restart lost the session, exactly once', async () => {
    const adapter = await setup('2.5.5');
    await adapter.ensureUser(spec);
    expect(emulator.loginCount()).toBe(1);
    emulator.restart();
    expect((await adapter.getUser('vpn_s7'))?.key).toBe('vpn_s7');
    expect(emulator.loginCount()).toBe(2);
  });

  it('logs in through the CSRF token on 3.0 cookie sessions and sends it on every POST', async () => {
    const adapter = await setup('3.0.1');
    expect(await adapter.connect()).toEqual({ version: '2.7-3.0' });
    await adapter.ensureUser(spec);
    await adapter.setEnabled('vpn_s7', false);
    expect(emulator.client('vpn_s7')?.enable).toBe(false);
    expect(emulator.countRequests('GET /csrf-token')).toBe(1);
    emulator.restart();
    expect((await adapter.getUser('vpn_s7'))?.enabled).toBe(false);
    expect(emulator.loginCount()).toBe(2);
  });

  it('reports a wrong password with the panel message and does not loop', async () => {
    const adapter = await setup('2.8.5', { password: 'nope' });
    const error = (await adapter.getUser('x').catch((e: unknown) => e)) as PanelError;
    expect(error).toBeInstanceOf(PanelError);
    expect(error.code).toBe('auth');
    expect(error.message).toContain('Invalid username or password');
    expect(emulator.countRequests('POST /login')).toBe(1);
  });

  it('uses the v3.1 clients API and the GET status route there, the POST status route on 2.5', async () => {
    const modern = await setup('3.1.0', { apiToken: 'xui-api-token-admin' });
    expect(await modern.connect()).toEqual({ version: '3.1+' });
    await modern.ensureUser(spec);
    expect(emulator.countRequests('POST /panel/api/clients/add')).toBe(1);
    expect(emulator.countRequests(/addClient/)).toBe(0);
    expect(emulator.countRequests('POST /login')).toBe(0);
    await emulator.close();
    const legacy = await setup('2.5.5');
    expect(await legacy.connect()).toEqual({ version: '2.5-2.6' });
    expect((await legacy.health()).ok).toBe(true);
    expect(emulator.countRequests('POST /server/status')).toBe(1);
  });

  it('the last client of an inbound, which 3x-ui will not delete, is disabled instead and reported kept_disabled', async () => {
    const adapter = await setup();
    const error = (await adapter.deleteUser('first').catch((e: unknown) => e)) as PanelError;
    expect(error).toBeInstanceOf(PanelError);
    expect(error.code).toBe('kept_disabled');
    expect(error.retryable).toBe(false);
    expect(String((error.details.cause as Error).message)).toContain('no client remained in Inbound');
    expect(emulator.userCount()).toBe(1);
    expect(emulator.client('first')?.enable).toBe(false);
    // Its subscription no longer serves a config.
    expect((await fetch(`${emulator.subscriptionBaseUrl}firstsub00000000`)).status).toBe(400);
  });

  it('the first connect logs in once: the empty 404 of the v3.1 probe on a v2 panel is no lost session', async () => {
    for (const version of ['2.8.5', '2.9.4', '3.0.1', '2.5.5']) {
      const adapter = await setup(version);
      expect(await adapter.connect()).toMatchObject({ version: expect.any(String) });
      await adapter.ensureUser({ key: 'once', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
      expect([version, emulator.loginCount()]).toEqual([version, 1]);
      // A session that really expires still costs exactly one more login.
      emulator.expireSessions();
      await adapter.getUser('once');
      expect([version, emulator.loginCount()]).toEqual([version, 2]);
      await emulator.close();
    }
    // Detection itself after the session expired (a panel down at the first call): one login.
    const adapter = await setup('2.9.4');
    emulator.faults.setUnavailable(true);
    await expect(adapter.connect()).rejects.toBeInstanceOf(PanelError);
    emulator.faults.setUnavailable(false);
    await adapter.connect();
    emulator.expireSessions();
    const logins = emulator.loginCount();
    await adapter.ensureUser({ key: 'twice', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
    expect(emulator.loginCount()).toBe(logins + 1);
  });

  it('refuses a missing or non-VLESS inbound at connect', async () => {
    const adapter = await setup('2.8.5', { inboundId: 99 });
    await expect(adapter.connect()).rejects.toThrow(/inbound 99 does not exist/);
  });

  it('reports status from depletion and expiry, and health from Xray', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    emulator = await create3xuiEmulator({ now: () => clock });
    // 3x-ui has no status field: the adapter derives "expired" against its own clock, the panel's here.
    const adapter = createXuiAdapter({
      ...emulator.credentials,
      baseUrl: emulator.url,
      inboundId: 1,
      subscriptionBaseUrl: emulator.subscriptionBaseUrl,
      now: () => clock,
    });
    await adapter.ensureUser(spec);
    emulator.setUsedTraffic('vpn_s7', spec.trafficLimitBytes);
    expect((await adapter.getUser('vpn_s7'))!.status).toBe('limited');
    await adapter.resetTraffic('vpn_s7');
    expect((await adapter.getUser('vpn_s7'))!.status).toBe('active');
    clock = spec.expiresAt.getTime() + 1;
    emulator.tick();
    const expired = (await adapter.getUser('vpn_s7'))!;
    expect(expired.status).toBe('expired');
    // Expired is the panel's verdict, not the operator switch.
    expect(expired.enabled).toBe(true);
    emulator.setOnline('vpn_s7', true);
    expect((await adapter.getUser('vpn_s7'))!.onlineAt).toEqual(new Date(clock));
    emulator.setXrayState('error', 'config broken');
    const health = await adapter.health();
    expect(health).toMatchObject({ ok: false, version: '2.7-3.0', usersOnline: 1 });
    expect(health.error).toContain('config broken');
  });
});
