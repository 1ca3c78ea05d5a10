import { makeServer, makeSubscription, useTestDatabase } from '@vpn/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReconciler } from '../reconcile/reconciler.js';
import { create3xuiEmulator, defaultXuiInbounds, type XuiEmulator } from '../testing/3x-ui/xui.emulator.js';
import type { MarzbanEmulator } from '../testing/marzban/marzban.emulator.js';
import { marzbanServerRow, xuiServerRow } from '../testing/server-rows.js';
import { testPool, usePanelEmulators } from '../testing/use-panel-emulators.js';
import { createProvisioningService } from './provisioning.service.js';

describe('retiring an account 3x-ui will not delete (PostgreSQL + emulators)', () => {
  const db = useTestDatabase();
  const panels = usePanelEmulators();
  let marzban: MarzbanEmulator;
  let xui: XuiEmulator;
  beforeEach(async () => {
    marzban = panels.marzban();
    // An inbound holding only our customers: no placeholder client to keep it non-empty.
    xui = await create3xuiEmulator({ inbounds: defaultXuiInbounds().map((i) => ({ ...i, clients: [] })) });
  });
  afterEach(() => xui.close());

  it('disables the last client at once, keeps the row deleting, and deletes it once the panel allows', async () => {
    const from = await makeServer(db().repos, { name: 'xui', ...xuiServerRow(xui) });
    const to = await makeServer(db().repos, { name: 'mz', ...marzbanServerRow(marzban) });
    const pool = testPool(db());
    const provisioning = createProvisioningService({ db: db(), pool });
    const sub = await makeSubscription(db().repos, { serverId: from.id });
    const key = `vpn_s${sub.id}`;
    const first = await provisioning.provision(sub.id);
    const oldUrl = first.account!.subscriptionUrl!;
    expect((await fetch(oldUrl)).status).toBe(200);

    // Moved away: the old client is the inbound's last, which 3x-ui refuses to delete.
    await db().repos.subscriptions.update(sub.id, { serverId: to.id });
    await provisioning.provision(sub.id);
    expect(xui.client(key)?.enable).toBe(false);
    expect((await fetch(oldUrl)).status).toBe(400);
    const oldRow = async () => (await db().repos.vpnAccounts.findBySubscription(sub.id)).find((a) => a.serverId === from.id);
    expect((await oldRow())?.syncState).toBe('deleting');

    // The reconciler keeps it disabled while it cannot delete, without counting a failure.
    const reconciler = createReconciler({ db: db(), pool, provisioning });
    const blocked = await reconciler.repair(await reconciler.report());
    expect(blocked).toMatchObject({ failures: [], orphansDisabled: [key], orphansDeleted: [] });
    expect(xui.client(key)?.enable).toBe(false);

    // Another customer arrives on that inbound: now the old client can go.
    const other = await makeSubscription(db().repos, { serverId: from.id });
    await provisioning.provision(other.id);
    const freed = await reconciler.repair(await reconciler.report());
    expect(freed).toMatchObject({ failures: [], orphansDeleted: [key] });
    expect(xui.client(key)).toBeUndefined();
    expect((await oldRow())?.syncState).toBe('deleted');
  });
});
