import { silentLogger } from '@vpn/logger';
import { consume, doctorQueue } from '@vpn/queues';
import { createProvisioningService, createServerPool } from '@vpn/vpn';
import { createMarzbanEmulator, marzbanServerRow, type MarzbanEmulator } from '@vpn/vpn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClientWorld, TEST_BOT_TOKEN, type ClientWorld } from '../testing/client-world.js';

/**
 * Issue 12 item 3, the customer's side: "VPN doesn't work" answered from the panel, not from the
 * database. The worker's part of the `doctor` job is done here in-process, as this world does for
 * provisioning (the real worker processor is tested in services/worker doctor.int.test.ts): read
 * the account live through the server pool (3 s), and on a mismatch queue the provisioning job.
 */
describe('the doctor reads the panel account live', () => {
  let w: ClientWorld;
  let panel: MarzbanEmulator;
  const emulators: MarzbanEmulator[] = [];
  let serverId: number;
  const provisioning = () =>
    createProvisioningService({ db: w.db, pool: createServerPool({ servers: w.db.repos.servers, logger: silentLogger() }) });
  beforeAll(async () => {
    w = await startClientWorld('doctor-live', { doctorWaitMs: 8_000 });
    panel = await createMarzbanEmulator();
    emulators.push(panel);
    serverId = (await w.db.repos.servers.create({ name: 'nl-live', countryCode: 'NL', ...marzbanServerRow(panel) })).id;
    const service = provisioning();
    consume(
      w.queues,
      doctorQueue,
      async ({ subscriptionId }) => {
        const live = await service.checkLive(Number(subscriptionId), 3_000);
        if (live !== 'missing' && live !== 'different' && live !== 'unusable') return { verdict: live };
        await w.queues.queue({ name: 'provisioning' } as never).add({ subscriptionId, version: 'doctor', reason: 'doctor' });
        return { verdict: 'restoring' };
      },
      { logger: silentLogger() },
    );
  });
  afterAll(async () => {
    await w.close();
    await Promise.allSettled(emulators.map((e) => e.close()));
  });

  it.each(['ru', 'en'] as const)(
    '%s: a panel restarted empty → restoring and back; a panel down → the server problem',
    async (lng) => {
      const t = w.i18n.forLanguage(lng);
      const user = await w.newUser(lng);
      await w.tg.start({ from: user.id, bot: TEST_BOT_TOKEN });
      await w.next(user);
      await w.next(user);
      const row = (await w.db.repos.users.findByTelegramId(user.id))!;
      const trial = await w.billing.trial.startTrial(row.id);
      await w.db.repos.subscriptions.update(trial.id, { serverId });
      await provisioning().provision(trial.id, { reason: 'trial' });

      const doctor = async () => {
        await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'doctor' });
        return (await w.next(user, 10_000)).text ?? '';
      };
      const healthy = await doctor();
      expect(healthy).toContain(`✅ ${t('client.doctor.findings.account_ok')}`);
      expect(healthy).toContain(t('client.doctor.allGood').split('\n')[0]!);

      // The sandbox's in-memory panel restarts without its users: the database still says "synced".
      const port = Number(new URL(panel.url).port);
      await panel.close();
      panel = await createMarzbanEmulator({ port, admin: panel.credentials });
      emulators.push(panel);
      const restoring = await doctor();
      expect(restoring).toContain(`❌ ${t('client.doctor.findings.account_restoring')}`);
      expect(restoring).toContain(t('client.doctor.advice.account_restoring'));
      expect(restoring).not.toContain(t('client.doctor.findings.account_ok'));
      const queued = await w.queues.queue({ name: 'provisioning' } as never).getJobs(['waiting']);
      expect(queued.map((j) => j.data)).toContainEqual({ subscriptionId: String(trial.id), version: 'doctor', reason: 'doctor' });
      await w.queues.queue({ name: 'provisioning' } as never).empty();
      // What the worker's provisioning job then does: the account is back and its key works.
      await provisioning().provision(trial.id, { reason: 'doctor', force: true });
      expect(panel.userKeys()).toEqual([`vpn_s${trial.id}`]);
      const [account] = await w.db.repos.vpnAccounts.findBySubscription(trial.id);
      expect((await fetch(new URL(account!.subscriptionUrl!, panel.url))).status).toBe(200);
      expect(await doctor()).toContain(`✅ ${t('client.doctor.findings.account_ok')}`);

      // The panel stops answering: the server's problem, never "everything is fine".
      panel.faults.setUnavailable(true);
      const down = await doctor();
      expect(down).toContain(`❌ ${t('client.doctor.findings.server_unreachable')}`);
      expect(down).toContain(t('client.doctor.advice.server_unreachable'));
      expect(down).not.toContain(t('client.doctor.allGood').split('\n')[0]!);
      await panel.close();
      panel = await createMarzbanEmulator({ port, admin: panel.credentials });
      emulators.push(panel);
    },
    60_000,
  );
});
