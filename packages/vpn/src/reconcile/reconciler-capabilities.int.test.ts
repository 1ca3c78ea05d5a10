import { makePlan, makeServer, makeSubscription, useTestDatabase } from '@vpn/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createPasarGuardAdapter } from '../adapters/pasarguard/pasarguard.adapter.js';
import { createRemnawaveAdapter } from '../adapters/remnawave/remnawave.adapter.js';
import { createWgEasyAdapter } from '../adapters/wg-easy/wg-easy.adapter.js';
import { createProvisioningService } from '../provisioning/provisioning.service.js';
import { createRemnawaveEmulator, type RemnawaveEmulator } from '../testing/remnawave/remnawave.emulator.js';
import { createPasarGuardEmulator, type PasarGuardEmulator } from '../testing/pasarguard/pasarguard.emulator.js';
import { pasarguardServerRow, remnawaveServerRow, wgEasyServerRow } from '../testing/server-rows.js';
import { testPool } from '../testing/use-panel-emulators.js';
import { createWgEasyEmulator, type WgEasyEmulator } from '../testing/wg-easy/wg-easy.emulator.js';
import { createReconciler } from './reconciler.js';

const DAY = 86_400_000;

// Drift a repair cannot fix must not be reported: it would stay on every report forever.
describe('reconciliation respects what each panel can hold (PostgreSQL + emulators)', () => {
  const db = useTestDatabase();
  let emulators: Array<RemnawaveEmulator | WgEasyEmulator | PasarGuardEmulator> = [];
  afterEach(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    emulators = [];
  });

  async function setup(row: Parameters<typeof makeServer>[1], limits: { deviceLimit?: number | null } = {}) {
    const pool = testPool(db());
    const provisioning = createProvisioningService({ db: db(), pool });
    const reconciler = createReconciler({ db: db(), pool, provisioning });
    const server = await makeServer(db().repos, row);
    const plan = await makePlan(db().repos, { trafficLimitBytes: null, deviceLimit: limits.deviceLimit ?? null });
    const sub = await makeSubscription(db().repos, { planId: plan.id, serverId: server.id });
    await provisioning.provision(sub.id);
    return { reconciler, provisioning, server, sub };
  }

  it('wg-easy v14 stores no expiry: its null read-back is not drift, its switch still is', async () => {
    const wg = await createWgEasyEmulator({ version: '14.0.0' });
    emulators.push(wg);
    const { reconciler, server, sub } = await setup({ name: 'wg14', ...wgEasyServerRow(wg) });
    const report = await reconciler.report();
    expect(report.servers).toEqual([expect.objectContaining({ serverId: server.id, version: '14.0', accounts: 1 })]);
    expect(report.items).toEqual([]);

    await createWgEasyAdapter({ baseUrl: wg.url, ...wg.credentials }).setEnabled(`vpn_s${sub.id}`, false);
    expect((await reconciler.report()).items.map((i) => i.kind)).toEqual(['enabled_differs']);
  });

  it('wg-easy v15 does store one: an expiry changed on the panel is reported and repaired', async () => {
    const wg = await createWgEasyEmulator({ version: '15.4.0' });
    emulators.push(wg);
    const { reconciler, sub } = await setup({ name: 'wg15', ...wgEasyServerRow(wg) });
    expect((await reconciler.report()).items).toEqual([]);
    await createWgEasyAdapter({ baseUrl: wg.url, ...wg.credentials }).ensureUser({
      key: `vpn_s${sub.id}`,
      expiresAt: new Date(sub.endsAt!.getTime() + 5 * DAY),
      trafficLimitBytes: null,
      deviceLimit: null,
      enabled: true,
    });
    const report = await reconciler.report();
    expect(report.items.map((i) => i.kind)).toEqual(['expiry_differs']);
    await reconciler.repair(report);
    expect((await reconciler.report()).items).toEqual([]);
  });

  it('Remnawave cannot be given a past expiry: an ended subscription is kept off by its status, not reported', async () => {
    const rw = await createRemnawaveEmulator();
    emulators.push(rw);
    const { reconciler, provisioning, sub } = await setup({ name: 'rw', ...remnawaveServerRow(rw) });
    // Refunded: the subscription ended an hour ago; the panel keeps the old future date.
    const ended = new Date(Date.now() - 3_600_000);
    await db().repos.subscriptions.update(sub.id, { status: 'expired', startsAt: new Date(ended.getTime() - DAY), endsAt: ended });
    await provisioning.provision(sub.id);
    const key = `vpn_s${sub.id}`;
    expect(rw.user(key)?.status).toBe('DISABLED');
    expect(new Date(rw.user(key)!.expireAt).getTime()).toBeGreaterThan(Date.now());
    expect((await reconciler.report()).items).toEqual([]);

    // Access is what matters, and that is still watched: switched on behind our back → reported.
    await createRemnawaveAdapter({ baseUrl: rw.url, apiToken: rw.apiToken }).setEnabled(key, true);
    const report = await reconciler.report();
    expect(report.items.map((i) => [i.kind, i.expected, i.actual])).toEqual([['enabled_differs', false, true]]);
    await reconciler.repair(report);
    expect(rw.user(key)?.status).toBe('DISABLED');
    expect((await reconciler.report()).items).toEqual([]);
  });

  it('Remnawave with a future expiry changed on the panel is still drift', async () => {
    const rw = await createRemnawaveEmulator();
    emulators.push(rw);
    const { reconciler, sub } = await setup({ name: 'rw', ...remnawaveServerRow(rw) });
    await createRemnawaveAdapter({ baseUrl: rw.url, apiToken: rw.apiToken }).ensureUser({
      key: `vpn_s${sub.id}`,
      expiresAt: new Date(sub.endsAt!.getTime() + 3 * DAY),
      trafficLimitBytes: null,
      deviceLimit: null,
      enabled: true,
    });
    expect((await reconciler.report()).items.map((i) => i.kind)).toEqual(['expiry_differs']);
  });

  it('PasarGuard holds a device limit: a server of that kind is built from its row, and a changed hwid_limit is drift', async () => {
    const pg = await createPasarGuardEmulator();
    emulators.push(pg);
    const { reconciler, sub } = await setup({ name: 'pg', ...pasarguardServerRow(pg) }, { deviceLimit: 2 });
    const key = `vpn_s${sub.id}`;
    expect(pg.user(key)).toMatchObject({ hwid_limit: 2, group_ids: pg.groupIds, status: 'active' });
    expect((await reconciler.report()).items).toEqual([]);
    await createPasarGuardAdapter({ apiKey: pg.apiKey, baseUrl: pg.url, groupIds: pg.groupIds }).ensureUser({
      key,
      expiresAt: sub.endsAt,
      trafficLimitBytes: null,
      deviceLimit: 9,
      enabled: true,
    });
    const report = await reconciler.report();
    expect(report.items.map((i) => [i.kind, i.field, i.expected, i.actual])).toEqual([['limit_differs', 'deviceLimit', 2, 9]]);
    await reconciler.repair(report);
    expect(pg.user(key)?.hwid_limit).toBe(2);
  });
});
