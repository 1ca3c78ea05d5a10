import { makePlan, makeServer, makeSubscription, useTestDatabase } from '@vpn/db/testing';
import { describe, expect, it } from 'vitest';
import { createMarzbanAdapter } from '../adapters/marzban/marzban.adapter.js';
import { createXuiAdapter } from '../adapters/3x-ui/xui.adapter.js';
import { createProvisioningService } from '../provisioning/provisioning.service.js';
import { marzbanServerRow, xuiServerRow } from '../testing/server-rows.js';
import { testPool, usePanelEmulators } from '../testing/use-panel-emulators.js';
import { createReconciler } from './reconciler.js';

const DAY = 86_400_000;
const GB = 1024 ** 3;

describe('reconciliation (PostgreSQL + panel emulators)', () => {
  const db = useTestDatabase();
  const panels = usePanelEmulators();

  // unsyncedAfterMs 0: a subscription planted a moment ago already counts as unsynced.
  async function setup(options: { unsyncedAfterMs?: number } = {}) {
    const [marzban, xui] = [panels.marzban(), panels.xui()];
    const pool = testPool(db());
    const provisioning = createProvisioningService({ db: db(), pool });
    const reconciler = createReconciler({ db: db(), pool, provisioning, ...options });
    const mzServer = await makeServer(db().repos, { name: 'mz', ...marzbanServerRow(marzban) });
    const xuiServer = await makeServer(db().repos, { name: 'xui', ...xuiServerRow(xui) });
    const plan = await makePlan(db().repos, { trafficLimitBytes: 100 * GB, deviceLimit: 2 });
    const subs: Record<string, number> = {};
    for (const [name, serverId] of [
      ['missing', mzServer.id],
      ['expiry', mzServer.id],
      ['limit', mzServer.id],
      ['enabled', mzServer.id],
      ['fine', mzServer.id],
      ['devices', xuiServer.id],
    ] as const) {
      const sub = await makeSubscription(db().repos, { planId: plan.id, serverId });
      await provisioning.provision(sub.id);
      subs[name] = sub.id;
    }
    // The operator's tools, straight at the panels: this is how drift happens.
    const mz = createMarzbanAdapter({ baseUrl: marzban.url, ...marzban.credentials });
    const x = createXuiAdapter({
      ...xui.credentials,
      baseUrl: xui.url,
      inboundId: xui.inboundId,
      subscriptionBaseUrl: xui.subscriptionBaseUrl,
    });
    return { reconciler, mzServer, xuiServer, subs, mz, x, marzban, xui, plan };
  }

  it('finds every planted kind of drift, changes nothing, and the repair fixes all of it', async () => {
    const { reconciler, mzServer, xuiServer, subs, mz, x, marzban, xui, plan } = await setup({ unsyncedAfterMs: 0 });
    const key = (name: string) => `vpn_s${subs[name]}`;
    await mz.deleteUser(key('missing'));
    const current = (await mz.getUser(key('expiry')))!;
    await mz.ensureUser({
      key: key('expiry'),
      expiresAt: new Date(current.expiresAt!.getTime() + 10 * DAY),
      trafficLimitBytes: 100 * GB,
      deviceLimit: null,
      enabled: true,
    });
    await mz.ensureUser({
      key: key('limit'),
      expiresAt: (await mz.getUser(key('limit')))!.expiresAt,
      trafficLimitBytes: 5 * GB,
      deviceLimit: null,
      enabled: true,
    });
    await mz.setEnabled(key('enabled'), false);
    await x.ensureUser({
      key: key('devices'),
      expiresAt: (await x.getUser(key('devices')))!.expiresAt,
      trafficLimitBytes: 100 * GB,
      deviceLimit: 9,
      enabled: true,
    });
    await mz.ensureUser({ key: 'vpn_s999999', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
    await mz.ensureUser({ key: 'operator_friend', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
    // Paid customers without a synced account: placement failed (no server); placed but the job
    // was lost before the row was written; the row stuck `failed` although the panel has the
    // user; and no row while the panel has the user (it must be adopted, never disabled as an orphan).
    const unplaced = await makeSubscription(db().repos, { planId: plan.id });
    const lost = await makeSubscription(db().repos, { planId: plan.id, serverId: mzServer.id });
    const adopt = await makeSubscription(db().repos, { planId: plan.id, serverId: mzServer.id });
    await mz.ensureUser({
      key: `vpn_s${adopt.id}`,
      expiresAt: adopt.endsAt,
      trafficLimitBytes: 100 * GB,
      deviceLimit: null,
      enabled: true,
    });
    const stuckRow = (await db().repos.vpnAccounts.findBySubscription(subs.fine!))[0]!;
    await db().repos.vpnAccounts.markFailed(stuckRow.id, 'job lost');
    // Not running: no access is owed, nothing is reported.
    await makeSubscription(db().repos, {
      planId: plan.id,
      status: 'expired',
      startsAt: new Date(Date.now() - 31 * DAY),
      endsAt: new Date(Date.now() - DAY),
    });
    const before = { marzban: marzban.userKeys().sort(), requests: marzban.requests.filter((r) => r.method !== 'GET').length };

    const report = await reconciler.report();
    const found = report.items.map((i) => [i.kind, i.key, i.serverId, i.field ?? null]).sort();
    expect(found).toEqual(
      [
        ['missing_in_panel', key('missing'), mzServer.id, null],
        ['expiry_differs', key('expiry'), mzServer.id, null],
        ['limit_differs', key('limit'), mzServer.id, 'trafficLimitBytes'],
        ['enabled_differs', key('enabled'), mzServer.id, null],
        ['limit_differs', key('devices'), xuiServer.id, 'deviceLimit'],
        ['orphan_in_panel', 'vpn_s999999', mzServer.id, null],
        ['no_synced_account', `vpn_s${unplaced.id}`, null, null],
        ['no_synced_account', `vpn_s${lost.id}`, mzServer.id, null],
        ['no_synced_account', `vpn_s${adopt.id}`, mzServer.id, null],
        ['no_synced_account', key('fine'), mzServer.id, null],
      ].sort(),
    );
    expect(report.items.find((i) => i.key === key('fine'))).toMatchObject({
      accountId: stuckRow.id,
      actual: { syncState: 'failed', lastError: 'job lost' },
    });
    expect(report.items.find((i) => i.key === `vpn_s${lost.id}`)).toMatchObject({ accountId: null, actual: { syncState: null } });
    expect(report.items.find((i) => i.kind === 'limit_differs' && i.serverId === mzServer.id)).toMatchObject({
      expected: 100 * GB,
      actual: 5 * GB,
    });
    expect(report.servers.map((s) => [s.name, s.accounts, s.error ?? null])).toEqual([
      ['mz', 5, null],
      ['xui', 1, null],
    ]);
    // A dry run: no writes to any panel.
    expect(marzban.userKeys().sort()).toEqual(before.marzban);
    expect(marzban.requests.filter((r) => r.method !== 'GET').length).toBe(before.requests);
    // Pages of two panel users and two accounts find the same: a page boundary hides nothing.
    const pool = testPool(db());
    const paged = createReconciler({
      db: db(),
      pool,
      provisioning: createProvisioningService({ db: db(), pool }),
      unsyncedAfterMs: 0,
      pageSize: 2,
    });
    expect((await paged.report()).items.map((i) => [i.kind, i.key, i.serverId, i.field ?? null]).sort()).toEqual(found);

    const repaired = await reconciler.repair(report, { orphans: 'delete' });
    expect(repaired.failures).toEqual([]);
    expect(repaired.provisioned.sort()).toEqual(
      [subs.missing, subs.expiry, subs.limit, subs.enabled, subs.devices, subs.fine, unplaced.id, lost.id, adopt.id].sort(),
    );
    expect(repaired.orphansDeleted).toEqual(['vpn_s999999']);
    expect((await reconciler.report()).items).toEqual([]);
    expect(marzban.user('operator_friend')).toBeDefined();
    expect(marzban.user(key('enabled'))?.status).toBe('active');
    expect(xui.client(key('devices'))?.limitIp).toBe(2);
    // The adopted user kept its credentials (found by key, not made again) and is on, as paid.
    expect(marzban.user(`vpn_s${adopt.id}`)?.status).toBe('active');
    expect(marzban.userKeys().filter((k) => k === `vpn_s${adopt.id}`)).toHaveLength(1);
    // The never-placed one went to the least loaded server (3x-ui holds 1, Marzban 7).
    const placed = (await db().repos.subscriptions.get(unplaced.id))!;
    expect(placed.serverId).toBe(xuiServer.id);
    expect(xui.client(`vpn_s${unplaced.id}`)?.enable).toBe(true);
    expect((await db().repos.vpnAccounts.findByServerKey(xuiServer.id, `vpn_s${unplaced.id}`))?.syncState).toBe('synced');
    expect((await db().repos.servers.get(mzServer.id))?.usersCount).toBe(7);
    expect((await db().repos.servers.get(xuiServer.id))?.usersCount).toBe(2);
  });

  it('does not report a running subscription without an account while it is fresh (its job may still be queued)', async () => {
    const { reconciler, plan, mzServer } = await setup();
    const fresh = await makeSubscription(db().repos, { planId: plan.id, serverId: mzServer.id });
    expect((await reconciler.report()).items).toEqual([]);
    const later = createReconciler({
      db: db(),
      pool: testPool(db()),
      provisioning: createProvisioningService({ db: db(), pool: testPool(db()) }),
      now: () => new Date(Date.now() + 16 * 60_000),
    });
    expect((await later.report()).items.map((i) => [i.kind, i.subscriptionId])).toEqual([['no_synced_account', fresh.id]]);
  });

  it('disables orphans by default, deletes accounts the database retired, and reports an unreachable panel', async () => {
    const { reconciler, mzServer, subs, mz, marzban, xui } = await setup();
    await mz.ensureUser({ key: 'vpn_s888888', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
    const retired = (await db().repos.vpnAccounts.findBySubscription(subs.fine!))[0]!;
    await db().repos.vpnAccounts.markDeleting(retired.id);
    xui.faults.setUnavailable(true);
    const report = await reconciler.report();
    expect(report.items.map((i) => [i.kind, i.key, i.accountId]).sort()).toEqual(
      [
        ['orphan_in_panel', 'vpn_s888888', null],
        ['orphan_in_panel', `vpn_s${subs.fine}`, retired.id],
      ].sort(),
    );
    expect(report.servers.find((s) => s.name === 'xui')?.error).toMatch(/failed|ECONN|socket/);
    const repaired = await reconciler.repair(report);
    expect(repaired.orphansDisabled).toEqual(['vpn_s888888']);
    expect(repaired.orphansDeleted).toEqual([`vpn_s${subs.fine}`]);
    expect(marzban.user('vpn_s888888')?.status).toBe('disabled');
    expect(marzban.user(`vpn_s${subs.fine}`)).toBeUndefined();
    expect((await db().repos.vpnAccounts.get(retired.id))?.syncState).toBe('deleted');
    xui.faults.setUnavailable(false);
    // The disabled orphan is still someone we do not know: it stays on the report until deleted.
    expect((await reconciler.report({ serverIds: [mzServer.id] })).items.map((i) => [i.kind, i.key, i.actual])).toEqual([
      ['orphan_in_panel', 'vpn_s888888', { enabled: false }],
    ]);
  });

  it('finalises rows being retired whose panel user is already gone, and only those', async () => {
    const { reconciler, mzServer, xuiServer, subs, mz } = await setup();
    // The worker died between the panel's delete and the row's update; and a subscription that
    // moved to the 3x-ui server left a row on Marzban whose user an operator already removed.
    const dying = (await db().repos.vpnAccounts.findBySubscription(subs.fine!))[0]!;
    await db().repos.vpnAccounts.markDeleting(dying.id);
    await mz.deleteUser(dying.panelUserKey);
    const moved = (await db().repos.vpnAccounts.findBySubscription(subs.limit!))[0]!;
    await db().repos.subscriptions.update(subs.limit!, { serverId: xuiServer.id });
    await mz.deleteUser(moved.panelUserKey);
    // A row being retired whose user is still there is an orphan to delete, not a finished row.
    const pending = (await db().repos.vpnAccounts.findBySubscription(subs.expiry!))[0]!;
    await db().repos.vpnAccounts.markDeleting(pending.id);

    const report = await reconciler.report({ serverIds: [mzServer.id] });
    expect(report.items.map((i) => [i.kind, i.accountId]).sort()).toEqual(
      [
        ['gone_from_panel', dying.id],
        ['gone_from_panel', moved.id],
        ['orphan_in_panel', pending.id],
      ].sort(),
    );
    const repaired = await reconciler.repair(report, { orphans: 'keep' });
    expect(repaired.rowsFinalised.sort()).toEqual([dying.id, moved.id].sort());
    expect(repaired.orphansDeleted).toEqual([pending.panelUserKey]);
    for (const id of [dying.id, moved.id, pending.id]) expect((await db().repos.vpnAccounts.get(id))?.syncState).toBe('deleted');
    // Five provisioned on Marzban, three gone: the count follows the rows.
    expect((await db().repos.servers.get(mzServer.id))?.usersCount).toBe(2);
    expect((await reconciler.report({ serverIds: [mzServer.id] })).items).toEqual([]);
  });
});
