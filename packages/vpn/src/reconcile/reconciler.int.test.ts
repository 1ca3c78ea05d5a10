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

  async function setup() {
    const [marzban, xui] = [panels.marzban(), panels.xui()];
    const pool = testPool(db());
    const provisioning = createProvisioningService({ db: db(), pool });
    const reconciler = createReconciler({ db: db(), pool, provisioning });
    const mzServer = await makeServer(db().repos, { name: 'mz', ...marzbanServerRow(marzban) });
    const xuiServer = await makeServer(db().repos, { name: 'xui', ...xuiServerRow(xui) });
    const plan = await makePlan(db().repos, { trafficLimitBytes: 100 * GB, deviceLimit: 2 });
    const subs: Record<string, number> = {};
    for (const [name, serverId] of [['missing', mzServer.id], ['expiry', mzServer.id], ['limit', mzServer.id], ['enabled', mzServer.id], ['fine', mzServer.id], ['devices', xuiServer.id]] as const) {
      const sub = await makeSubscription(db().repos, { planId: plan.id, serverId });
      await provisioning.provision(sub.id);
      subs[name] = sub.id;
    }
    // The operator's tools, straight at the panels: this is how drift happens.
    const mz = createMarzbanAdapter({ baseUrl: marzban.url, ...marzban.credentials });
    const x = createXuiAdapter({ ...xui.credentials, baseUrl: xui.url, inboundId: xui.inboundId, subscriptionBaseUrl: xui.subscriptionBaseUrl });
    return { reconciler, mzServer, xuiServer, subs, mz, x, marzban, xui };
  }

  it('finds every planted kind of drift, changes nothing, and the repair fixes all of it', async () => {
    const { reconciler, mzServer, xuiServer, subs, mz, x, marzban, xui } = await setup();
    const key = (name: string) => `vpn_s${subs[name]}`;
    await mz.deleteUser(key('missing'));
    const current = (await mz.getUser(key('expiry')))!;
    await mz.ensureUser({ key: key('expiry'), expiresAt: new Date(current.expiresAt!.getTime() + 10 * DAY), trafficLimitBytes: 100 * GB, deviceLimit: null, enabled: true });
    await mz.ensureUser({ key: key('limit'), expiresAt: (await mz.getUser(key('limit')))!.expiresAt, trafficLimitBytes: 5 * GB, deviceLimit: null, enabled: true });
    await mz.setEnabled(key('enabled'), false);
    await x.ensureUser({ key: key('devices'), expiresAt: (await x.getUser(key('devices')))!.expiresAt, trafficLimitBytes: 100 * GB, deviceLimit: 9, enabled: true });
    await mz.ensureUser({ key: 'vpn_s999999', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
    await mz.ensureUser({ key: 'operator_friend', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
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
      ].sort(),
    );
    expect(report.items.find((i) => i.kind === 'limit_differs' && i.serverId === mzServer.id)).toMatchObject({ expected: 100 * GB, actual: 5 * GB });
    expect(report.servers.map((s) => [s.name, s.accounts, s.error ?? null])).toEqual([['mz', 5, null], ['xui', 1, null]]);
    // A dry run: no writes to any panel.
    expect(marzban.userKeys().sort()).toEqual(before.marzban);
    expect(marzban.requests.filter((r) => r.method !== 'GET').length).toBe(before.requests);

    const repaired = await reconciler.repair(report, { orphans: 'delete' });
    expect(repaired.failures).toEqual([]);
    expect(repaired.provisioned.sort()).toEqual([subs.missing, subs.expiry, subs.limit, subs.enabled, subs.devices].sort());
    expect(repaired.orphansDeleted).toEqual(['vpn_s999999']);
    expect((await reconciler.report()).items).toEqual([]);
    expect(marzban.user('operator_friend')).toBeDefined();
    expect(marzban.user(key('enabled'))?.status).toBe('active');
    expect(xui.client(key('devices'))?.limitIp).toBe(2);
    expect((await db().repos.servers.get(mzServer.id))?.usersCount).toBe(5);
  });

  it('disables orphans by default, deletes accounts the database retired, and reports an unreachable panel', async () => {
    const { reconciler, mzServer, subs, mz, marzban, xui } = await setup();
    await mz.ensureUser({ key: 'vpn_s888888', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
    const retired = (await db().repos.vpnAccounts.findBySubscription(subs.fine!))[0]!;
    await db().repos.vpnAccounts.markDeleting(retired.id);
    xui.faults.setUnavailable(true);
    const report = await reconciler.report();
    expect(report.items.map((i) => [i.kind, i.key, i.accountId]).sort()).toEqual([
      ['orphan_in_panel', 'vpn_s888888', null],
      ['orphan_in_panel', `vpn_s${subs.fine}`, retired.id],
    ].sort());
    expect(report.servers.find((s) => s.name === 'xui')?.error).toMatch(/failed|ECONN|socket/);
    const repaired = await reconciler.repair(report);
    expect(repaired.orphansDisabled).toEqual(['vpn_s888888']);
    expect(repaired.orphansDeleted).toEqual([`vpn_s${subs.fine}`]);
    expect(marzban.user('vpn_s888888')?.status).toBe('disabled');
    expect(marzban.user(`vpn_s${subs.fine}`)).toBeUndefined();
    expect((await db().repos.vpnAccounts.get(retired.id))?.syncState).toBe('deleted');
    xui.faults.setUnavailable(false);
    // The disabled orphan is still someone we do not know: it stays on the report until deleted.
    expect((await reconciler.report({ serverIds: [mzServer.id] })).items.map((i) => [i.kind, i.key, i.actual])).toEqual([['orphan_in_panel', 'vpn_s888888', { enabled: false }]]);
  });
});
