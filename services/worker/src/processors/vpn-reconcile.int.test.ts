import { makeSubscription } from '@vpn/db/testing';
import { createMarzbanAdapter, createProvisioningService, createReconciler, createServerPool } from '@vpn/vpn';
import { describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../testing/worker-harness.js';
import { createVpnReconcile } from '../vpn/vpn-reconcile.js';
import type { VpnReconcileSummary } from './vpn-reconcile.processor.js';

const DAY = 86_400_000;

// The scheduled reconciliation: a dry-run report in the log and the audit log, then the safe repairs.
const h = useWorkerHarness({ replicas: 0 });

describe('vpn-reconcile in the worker', () => {
  it('reports every drift to the audit log, repairs the safe kinds and leaves unknown panel users to the policy', async () => {
    const pool = createServerPool({
      servers: h.db.repos.servers,
      adapterDeps: { timeoutMs: 500 },
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const provisioning = createProvisioningService({ db: h.db, pool });
    // unsyncedAfterMs 0: the subscription planted a moment ago already counts.
    const vpnReconciler = createVpnReconcile(createReconciler({ db: h.db, pool, provisioning, unsyncedAfterMs: 0 }), h.db);
    await h.startWorker({}, { vpnReconciler });
    const operator = createMarzbanAdapter({ baseUrl: h.panel.url, ...h.panel.credentials });

    // A paid customer whose provisioning was lost (never placed), one whose expiry an operator
    // changed on the panel, and a panel user of ours the database does not know.
    const lost = await makeSubscription(h.db.repos, {});
    const drifted = await makeSubscription(h.db.repos, {});
    await provisioning.provision(drifted.id);
    await operator.ensureUser({
      key: `vpn_s${drifted.id}`,
      expiresAt: new Date(drifted.endsAt!.getTime() + 9 * DAY),
      trafficLimitBytes: null,
      deviceLimit: null,
      enabled: true,
    });
    await operator.ensureUser({ key: 'vpn_s777777', expiresAt: null, trafficLimitBytes: null, deviceLimit: null, enabled: true });
    // A cancelled subscription whose account the database is retiring: the panel still has the
    // user, and the database already decided it goes, so even the default policy deletes it.
    const retired = await makeSubscription(h.db.repos, {});
    await provisioning.provision(retired.id);
    await h.db.repos.subscriptions.update(retired.id, { status: 'cancelled' });
    const retiredRow = (await h.db.repos.vpnAccounts.findBySubscription(retired.id))[0]!;
    await h.db.repos.vpnAccounts.markDeleting(retiredRow.id);

    const run = async (payload: { orphans?: 'delete'; repair?: boolean } = {}) =>
      (await (await h.producers.vpnReconcile.add(payload)).finished()) as VpnReconcileSummary;
    const first = await run();
    expect(first.found).toEqual({ no_synced_account: 1, expiry_differs: 1, orphan_in_panel: 2 });
    expect(first.repaired).toEqual({
      provisioned: 2,
      orphansDisabled: 0,
      orphansDeleted: 1,
      rowsFinalised: 0,
      failures: 0,
      leftForOperator: 1,
    });
    expect(h.panel.user(retiredRow.panelUserKey)).toBeUndefined();
    expect((await h.db.repos.vpnAccounts.get(retiredRow.id))?.syncState).toBe('deleted');

    const [repairEntry, reportEntry] = await h.db.repos.auditLog.list({ entity: 'vpn', limit: 2 });
    expect(reportEntry).toMatchObject({
      actorKind: 'system',
      action: 'vpn.reconcile.report',
      data: { found: first.found, truncated: false },
    });
    expect((reportEntry!.data.items as Array<{ kind: string; key: string }>).map((i) => [i.kind, i.key]).sort()).toEqual(
      [
        ['no_synced_account', `vpn_s${lost.id}`],
        ['expiry_differs', `vpn_s${drifted.id}`],
        ['orphan_in_panel', 'vpn_s777777'],
        ['orphan_in_panel', retiredRow.panelUserKey],
      ].sort(),
    );
    expect(repairEntry).toMatchObject({ action: 'vpn.reconcile.repair', data: { orphans: 'report', provisioned: 2, leftForOperator: 1 } });
    expect((repairEntry!.data.provisionedSubscriptions as number[]).sort()).toEqual([lost.id, drifted.id].sort());

    // Repaired: the lost customer has access, the expiry is ours again; the unknown user is untouched.
    expect(h.panel.user(`vpn_s${lost.id}`)?.status).toBe('active');
    expect((await h.db.repos.vpnAccounts.findBySubscription(lost.id))[0]?.syncState).toBe('synced');
    expect(h.panel.user(`vpn_s${drifted.id}`)?.expire).toBe(Math.floor(drifted.endsAt!.getTime() / 1000));
    expect(h.panel.user('vpn_s777777')?.status).toBe('active');

    // Report only: nothing changes, the orphan is still reported.
    const dry = await run({ repair: false });
    expect(dry).toEqual({ found: { orphan_in_panel: 1 }, unreachable: [], repaired: null });
    // An explicit policy deletes it.
    const deleted = await run({ orphans: 'delete' });
    expect(deleted.repaired).toMatchObject({ orphansDeleted: 1, leftForOperator: 0 });
    expect(h.panel.user('vpn_s777777')).toBeUndefined();
    expect((await run()).found).toEqual({});
  });
});
