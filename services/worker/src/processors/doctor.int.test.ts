import type { DoctorAnswer } from '@vpn/queues';
import { createMarzbanEmulator, type MarzbanEmulator } from '@vpn/vpn/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../testing/worker-harness.js';

// Issue 12 item 3: "the doctor trusts the database". The doctor job reads the account from the
// panel live: a panel that restarted empty is found out and the account re-ensured; a panel that
// does not answer is reported as the server's problem within the doctor's short budget.
const h = useWorkerHarness();

describe('the doctor job: the customer panel account, checked live', () => {
  let restarted: MarzbanEmulator | undefined;
  afterAll(async () => {
    await restarted?.close();
  });

  const ask = async (subscriptionId: number): Promise<DoctorAnswer> => {
    const job = await h.producers.doctor.add({ subscriptionId, requestedAt: new Date().toISOString() });
    return (await job.finished()) as DoctorAnswer;
  };

  it('an emulator restarted without its users: found, re-provisioned, the new key works; a panel that is down: unreachable', async () => {
    const user = await h.customer();
    await h.billing.subscriptions.grantDays(user.id, 30);
    const sub = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!;
    await h.producers.provisioning.add({ subscriptionId: sub.id, version: 'first', reason: 'grant' });
    const key = `vpn_s${sub.id}`;
    await h.until(async () => (await h.db.repos.vpnAccounts.findBySubscription(sub.id))[0]?.syncState === 'synced', 10_000, 'provisioned');
    expect(await ask(sub.id)).toEqual({ verdict: 'ok' });

    // The sandbox's in-memory panel restarts: same address, no users, a new subscription secret.
    const port = Number(new URL(h.panel.url).port);
    await h.panel.close();
    restarted = await createMarzbanEmulator({ port, admin: h.panel.credentials });
    const before = (await h.db.repos.vpnAccounts.findBySubscription(sub.id))[0]!;
    expect(before.syncState).toBe('synced'); // what the database still believes
    expect(await ask(sub.id)).toEqual({ verdict: 'restoring' });
    await h.until(async () => restarted!.userKeys().includes(key), 10_000, 'the account back on the panel');
    expect(restarted.userCount()).toBe(1);
    await h.until(
      async () => (await h.db.repos.vpnAccounts.findBySubscription(sub.id))[0]?.lastSyncedAt?.getTime() !== before.lastSyncedAt?.getTime(),
      10_000,
      'the new key stored',
    );
    const after = (await h.db.repos.vpnAccounts.findBySubscription(sub.id))[0]!;
    const link = new URL(after.subscriptionUrl!, restarted.url).toString();
    expect((await fetch(link)).status).toBe(200);
    expect(await ask(sub.id)).toEqual({ verdict: 'ok' });

    // The panel stops answering: within the doctor's budget, the server's problem.
    restarted.faults.setUnavailable(true);
    const started = Date.now();
    expect(await ask(sub.id)).toEqual({ verdict: 'unreachable' });
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 60_000);

  it('a customer without a running subscription has nothing to check', async () => {
    const user = await h.customer();
    await h.billing.subscriptions.grantDays(user.id, 1);
    const sub = (await h.db.repos.subscriptions.getCurrentForUser(user.id))!;
    expect(await ask(sub.id)).toEqual({ verdict: 'no_account' });
  });
});
