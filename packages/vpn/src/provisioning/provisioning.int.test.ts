import { makePlan, makeServer, makeSubscription, useTestDatabase } from '@vpn/db/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { PanelError } from '../adapter.js';
import type { XuiEmulator } from '../testing/3x-ui/xui.emulator.js';
import type { MarzbanEmulator } from '../testing/marzban/marzban.emulator.js';
import { marzbanServerRow, xuiServerRow } from '../testing/server-rows.js';
import { testPool, usePanelEmulators } from '../testing/use-panel-emulators.js';
import { createServerPool } from '../pool/server-pool.js';
import { createProvisioningService, ProvisioningError } from './provisioning.service.js';

const DAY = 86_400_000;
const GB = 1024 ** 3;

describe('provisioning (PostgreSQL + panel emulators)', () => {
  const db = useTestDatabase();
  const panels = usePanelEmulators();
  let marzban: MarzbanEmulator;
  let xui: XuiEmulator;
  beforeEach(() => {
    [marzban, xui] = [panels.marzban(), panels.xui()];
  });

  const service = () => createProvisioningService({ db: db(), pool: testPool(db()) });
  const marzbanServer = () => makeServer(db().repos, { name: 'mz', ...marzbanServerRow(marzban) });

  it('places a new subscription, creates its panel user and records the synced version', async () => {
    const server = await marzbanServer();
    const plan = await makePlan(db().repos, { trafficLimitBytes: 50 * GB, deviceLimit: 3 });
    const sub = await makeSubscription(db().repos, { planId: plan.id });
    const result = await service().provision(sub.id, { reason: 'purchase' });
    const placed = (await db().repos.subscriptions.get(sub.id))!;
    expect(placed.serverId).toBe(server.id);
    expect(result).toMatchObject({
      outcome: 'synced',
      account: { serverId: server.id, panelUserKey: `vpn_s${sub.id}`, syncState: 'synced', syncedVersion: placed.version },
    });
    expect(result.account?.subscriptionUrl).toMatch(new RegExp(`^${marzban.url}/sub/`));
    expect(marzban.user(`vpn_s${sub.id}`)).toMatchObject({
      status: 'active',
      expire: Math.floor(sub.endsAt!.getTime() / 1000),
      data_limit: 50 * GB,
    });
    expect((await db().repos.servers.get(server.id))?.usersCount).toBe(1);
  });

  it('running twice, or three times at once, leaves one account and one row', async () => {
    await marzbanServer();
    const sub = await makeSubscription(db().repos);
    const svc = service();
    const first = await svc.provision(sub.id);
    expect((await svc.provision(sub.id)).outcome).toBe('up_to_date');
    const other = await makeSubscription(db().repos);
    const outcomes = await Promise.all([svc.provision(other.id), svc.provision(other.id), svc.provision(other.id)]);
    expect(outcomes.filter((o) => o.outcome === 'synced')).toHaveLength(1);
    expect(marzban.userKeys().sort()).toEqual([`vpn_s${sub.id}`, `vpn_s${other.id}`].sort());
    expect(await db().repos.vpnAccounts.findBySubscription(other.id)).toHaveLength(1);
    // One create per subscription: the concurrent runs wait on the row lock and find it synced.
    expect(marzban.countRequests('POST /api/user')).toBe(2);
    expect(first.account?.id).toBe((await db().repos.vpnAccounts.findBySubscription(sub.id))[0]?.id);
  });

  it('a create saved by the panel whose answer was lost fails, is marked failed, and the retry finds it', async () => {
    await marzbanServer();
    const sub = await makeSubscription(db().repos);
    marzban.faults.dropResponseNext(1, { match: 'POST /api/user', mode: 'hang' });
    const error = await service()
      .provision(sub.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PanelError);
    expect((error as PanelError).retryable).toBe(true);
    expect((await db().repos.vpnAccounts.findBySubscription(sub.id))[0]).toMatchObject({
      syncState: 'failed',
      lastError: expect.stringContaining('timed out'),
    });
    expect(marzban.userKeys()).toEqual([`vpn_s${sub.id}`]);
    expect((await service().provision(sub.id)).outcome).toBe('synced');
    expect(marzban.userKeys()).toEqual([`vpn_s${sub.id}`]);
    expect(marzban.countRequests('POST /api/user')).toBe(1);
  });

  it('disables on expiry and enables on renewal; traffic kept unless the plan resets it', async () => {
    await marzbanServer();
    const keep = await makePlan(db().repos, { resetTrafficOnRenew: false });
    const reset = await makePlan(db().repos, { resetTrafficOnRenew: true });
    const svc = service();
    for (const [plan, expected] of [
      [keep, 7 * GB],
      [reset, 0],
    ] as const) {
      const sub = await makeSubscription(db().repos, { planId: plan.id });
      const key = `vpn_s${sub.id}`;
      await svc.provision(sub.id, { reason: 'purchase' });
      marzban.setUsedTraffic(key, 7 * GB);
      await db().repos.subscriptions.update(sub.id, { status: 'expired' });
      await svc.provision(sub.id, { reason: 'expire' });
      expect(marzban.user(key)?.status).toBe('disabled');
      const endsAt = new Date(Date.now() + 60 * DAY);
      await db().repos.subscriptions.update(sub.id, { status: 'active', endsAt });
      const renewed = await svc.provision(sub.id, { reason: 'renewal' });
      expect(marzban.user(key)).toMatchObject({ status: 'active', expire: Math.floor(endsAt.getTime() / 1000), used_traffic: expected });
      expect(renewed.trafficReset).toBe(expected === 0);
    }
  });

  it('3x-ui: a renewal whose plan resets traffic resets it, so the used-up customer is not cut off again', async () => {
    await makeServer(db().repos, { name: 'xui', ...xuiServerRow(xui) });
    const plan = await makePlan(db().repos, { resetTrafficOnRenew: true, trafficLimitBytes: 10 * GB });
    const sub = await makeSubscription(db().repos, { planId: plan.id });
    const key = `vpn_s${sub.id}`;
    const svc = service();
    const first = await svc.provision(sub.id, { reason: 'purchase' });
    const adapter = await testPool(db()).adapterFor(first.account!.serverId);
    xui.setUsedTraffic(key, 10 * GB);
    xui.tick(); // the panel's traffic job: 10 of 10 GB used, the client is cut off
    // Usage is where the panel keeps it (client traffics), not in `inbounds/get` (clientStats: null).
    expect(await adapter.getUser(key)).toMatchObject({ usedTrafficBytes: 10 * GB, status: 'limited' });

    await db().repos.subscriptions.update(sub.id, { endsAt: new Date(Date.now() + 60 * DAY) });
    const renewed = await svc.provision(sub.id, { reason: 'renewal' });
    expect(renewed.trafficReset).toBe(true);
    expect(xui.countRequests(/resetClientTraffic/)).toBe(1);
    xui.tick();
    expect(await adapter.getUser(key)).toMatchObject({ usedTrafficBytes: 0, status: 'active' });
    expect(xui.client(key)?.enable).toBe(true);
  });

  it('resets on a renewal whose plan says so even when the panel reports no usage', async () => {
    await marzbanServer();
    const plan = await makePlan(db().repos, { resetTrafficOnRenew: true });
    const sub = await makeSubscription(db().repos, { planId: plan.id });
    const svc = service();
    await svc.provision(sub.id, { reason: 'purchase' });
    await db().repos.subscriptions.update(sub.id, { endsAt: new Date(Date.now() + 60 * DAY) });
    expect((await svc.provision(sub.id, { reason: 'renewal' })).trafficReset).toBe(true);
    expect(marzban.countRequests(/^POST \/api\/user\/[^/]+\/reset$/)).toBe(1);
    // Once per version: the same renewal again resets nothing.
    expect((await svc.provision(sub.id, { reason: 'renewal' })).trafficReset).toBe(false);
    expect(marzban.countRequests(/^POST \/api\/user\/[^/]+\/reset$/)).toBe(1);
  });

  it('a purchase after expiry or after the trial starts the paid period with traffic reset, when the plan resets it', async () => {
    await marzbanServer();
    const plan = await makePlan(db().repos, { resetTrafficOnRenew: true, trafficLimitBytes: 10 * GB });
    const svc = service();
    // After expiry: the customer used up the period, it ended, and they buy again.
    const lapsed = await makeSubscription(db().repos, { planId: plan.id });
    await svc.provision(lapsed.id, { reason: 'purchase' });
    marzban.setUsedTraffic(`vpn_s${lapsed.id}`, 10 * GB);
    await db().repos.subscriptions.update(lapsed.id, { status: 'expired' });
    await svc.provision(lapsed.id, { reason: 'expire' });
    await db().repos.subscriptions.update(lapsed.id, { status: 'active', endsAt: new Date(Date.now() + 30 * DAY) });
    expect((await svc.provision(lapsed.id, { reason: 'purchase' })).trafficReset).toBe(true);
    expect(marzban.user(`vpn_s${lapsed.id}`)).toMatchObject({ status: 'active', used_traffic: 0 });
    // After the trial: what the trial used does not count against the first paid period.
    const trial = await makeSubscription(db().repos, { isTrial: true });
    await svc.provision(trial.id, { reason: 'trial' });
    marzban.setUsedTraffic(`vpn_s${trial.id}`, 3 * GB);
    await db().repos.subscriptions.update(trial.id, { isTrial: false, planId: plan.id, endsAt: new Date(Date.now() + 30 * DAY) });
    expect((await svc.provision(trial.id, { reason: 'purchase' })).trafficReset).toBe(true);
    expect(marzban.user(`vpn_s${trial.id}`)).toMatchObject({ used_traffic: 0 });
  });

  it('skips a closed subscription that never had an account', async () => {
    await marzbanServer();
    const sub = await makeSubscription(db().repos, {
      status: 'expired',
      endsAt: new Date(Date.now() - DAY),
      startsAt: new Date(Date.now() - 31 * DAY),
    });
    expect((await service().provision(sub.id)).outcome).toBe('skipped');
    expect(marzban.userCount()).toBe(0);
    expect(await db().repos.vpnAccounts.findBySubscription(sub.id)).toEqual([]);
  });

  it('moves a subscription to another server: the new panel gets it, the old one loses it', async () => {
    const old = await marzbanServer();
    const next = await makeServer(db().repos, { name: 'xui', ...xuiServerRow(xui) });
    const sub = await makeSubscription(db().repos, { serverId: old.id, deviceLimit: 2 });
    const svc = service();
    await svc.provision(sub.id);
    await db().repos.subscriptions.update(sub.id, { serverId: next.id });
    const moved = await svc.provision(sub.id);
    expect(moved.account?.serverId).toBe(next.id);
    expect(xui.client(`vpn_s${sub.id}`)).toMatchObject({ limitIp: 2, enable: true });
    expect(marzban.user(`vpn_s${sub.id}`)).toBeUndefined();
    const rows = await db().repos.vpnAccounts.findBySubscription(sub.id);
    expect(rows.map((r) => [r.serverId, r.syncState])).toEqual([
      [old.id, 'deleted'],
      [next.id, 'synced'],
    ]);
  });

  it('refuses an unknown subscription clearly, touching no panel', async () => {
    await marzbanServer();
    const error = await service()
      .provision(987_654)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisioningError);
    expect(error).toMatchObject({ code: 'subscription_not_found', message: 'subscription 987654 does not exist' });
    expect(marzban.requests).toHaveLength(0);
  });

  it('a panel that is down fails the job retryably and records the error', async () => {
    await marzbanServer();
    const sub = await makeSubscription(db().repos);
    marzban.faults.setUnavailable(true);
    const error = (await service()
      .provision(sub.id)
      .catch((e: unknown) => e)) as PanelError;
    marzban.faults.setUnavailable(false);
    expect(error.retryable).toBe(true);
    expect((await db().repos.vpnAccounts.findBySubscription(sub.id))[0]?.syncState).toBe('failed');
    expect((await service().provision(sub.id)).outcome).toBe('synced');
  });

  it('a stuck panel holds the account row lock only for the budget, not for its timeouts and retries', async () => {
    await marzbanServer();
    const sub = await makeSubscription(db().repos);
    // Long per-call timeouts and retries, as in production: unbounded this would hold the lock ~30 s.
    const pool = createServerPool({
      servers: db().repos.servers,
      adapterDeps: { timeoutMs: 10_000 },
      retry: { attempts: 3, baseDelayMs: 1_000, maxDelayMs: 5_000 },
    });
    const svc = createProvisioningService({ db: db(), pool, lockedPanelBudgetMs: 300 });
    marzban.faults.delayNext(5, 2_000, { match: /^GET \/api\/user\// });
    const started = Date.now();
    const error = (await svc.provision(sub.id).catch((e: unknown) => e)) as PanelError;
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(PanelError);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    const [row] = await db().repos.vpnAccounts.findBySubscription(sub.id);
    expect(row).toMatchObject({ syncState: 'failed', lastError: expect.stringContaining('timed out after') });
    // The lock is free at once: another transaction takes it without waiting.
    await db().transaction(async (transaction) => {
      await db().sequelize.query('SET LOCAL lock_timeout = 100', { transaction });
      expect(await db().repos.vpnAccounts.lockForUpdate(row!.id, { transaction })).not.toBeNull();
    });
    marzban.faults.clear();
    expect((await svc.provision(sub.id)).outcome).toBe('synced');
  });
});
