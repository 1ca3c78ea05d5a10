import { makeServer, makeSubscription, useTestDatabase } from '@vpn/db/testing';
import { describe, expect, it } from 'vitest';
import { createMarzbanAdapter } from '../adapters/marzban/marzban.adapter.js';
import { marzbanServerRow, xuiServerRow } from '../testing/server-rows.js';
import { testPool, usePanelEmulators } from '../testing/use-panel-emulators.js';
import { createProvisioningService } from './provisioning.service.js';

/** The doctor's live read (issue 12 item 3): what the panel holds, against what the database says. */
describe('checkAccountLive (PostgreSQL + panel emulators)', () => {
  const db = useTestDatabase();
  const panels = usePanelEmulators();
  const service = () => createProvisioningService({ db: db(), pool: testPool(db()) });

  it('Marzban: ok; another key, a disabled user or a deleted one is told apart; a panel that is down is unreachable', async () => {
    const marzban = panels.marzban();
    await makeServer(db().repos, { name: 'mz', ...marzbanServerRow(marzban) });
    const sub = await makeSubscription(db().repos);
    const svc = service();
    await svc.provision(sub.id);
    const key = `vpn_s${sub.id}`;
    // Marzban renders each link with a random short id and SNI: still the same key, still ok.
    expect(await svc.checkLive(sub.id, 3_000)).toBe('ok');
    expect(await svc.checkLive(sub.id, 3_000)).toBe('ok');

    const panel = createMarzbanAdapter({ baseUrl: marzban.url, ...marzban.credentials });
    await panel.revokeSubscription(key);
    await panel.ensureUser({ key, expiresAt: sub.endsAt, trafficLimitBytes: null, deviceLimit: null, enabled: true });
    expect(await svc.checkLive(sub.id, 3_000)).toBe('different');
    await svc.provision(sub.id, { reason: 'doctor', force: true });
    expect(await svc.checkLive(sub.id, 3_000)).toBe('ok');

    await panel.setEnabled(key, false);
    expect(await svc.checkLive(sub.id, 3_000)).toBe('unusable');
    await panel.deleteUser(key);
    expect(await svc.checkLive(sub.id, 3_000)).toBe('missing');

    marzban.faults.setUnavailable(true);
    expect(await svc.checkLive(sub.id, 500)).toBe('unreachable');
    marzban.faults.setUnavailable(false);
  });

  it('3x-ui: the same account read back is ok; without a running subscription there is nothing to check', async () => {
    const xui = panels.xui();
    await makeServer(db().repos, { name: 'xui', ...xuiServerRow(xui) });
    const sub = await makeSubscription(db().repos);
    const svc = service();
    await svc.provision(sub.id);
    expect(await svc.checkLive(sub.id, 3_000)).toBe('ok');
    const unplaced = await makeSubscription(db().repos);
    expect(await svc.checkLive(unplaced.id, 3_000)).toBe('no_account');
  });
});
