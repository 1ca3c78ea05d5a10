import { loadConfig, redisSchema } from '@vpn/config';
import { backupQueue, serverHealthQueue, vpnReconcileQueue } from '@vpn/queues';
import { createTestQueueFactory } from '@vpn/queues/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { registerSchedules } from './schedules.js';

const queues = createTestQueueFactory(loadConfig(redisSchema).REDIS_URL);
afterAll(() => queues.cleanup());

describe('schedules', () => {
  it('register server health and reconciliation when asked, once however many replicas register them', async () => {
    await registerSchedules(queues, { outboxEveryMs: 5_000, usageSync: false });
    expect(await queues.queue(serverHealthQueue).getRepeatableJobs()).toEqual([]);
    expect(await queues.queue(vpnReconcileQueue).getRepeatableJobs()).toEqual([]);

    const options = { outboxEveryMs: 5_000, usageSync: false, serverHealthEveryMs: 60_000, reconcileCron: '15 */6 * * *' };
    await registerSchedules(queues, options);
    await registerSchedules(queues, options);
    expect((await queues.queue(serverHealthQueue).getRepeatableJobs()).map((j) => [j.id, Number(j.every)])).toEqual([
      ['server-health', 60_000],
    ]);
    expect((await queues.queue(vpnReconcileQueue).getRepeatableJobs()).map((j) => [j.id, j.cron])).toEqual([
      ['vpn-reconcile', '15 */6 * * *'],
    ]);
    // A new cadence replaces the old one instead of running beside it.
    await registerSchedules(queues, { ...options, serverHealthEveryMs: 30_000 });
    expect((await queues.queue(serverHealthQueue).getRepeatableJobs()).map((j) => Number(j.every))).toEqual([30_000]);
  });

  it('schedule backups on BACKUP_CRON only, and a schedule switched off goes away at the next start', async () => {
    const base = { outboxEveryMs: 5_000, usageSync: false };
    await registerSchedules(queues, base);
    expect(await queues.queue(backupQueue).getRepeatableJobs()).toEqual([]);
    await registerSchedules(queues, { ...base, backupCron: '30 2 * * *' });
    await registerSchedules(queues, { ...base, backupCron: '30 2 * * *' });
    expect((await queues.queue(backupQueue).getRepeatableJobs()).map((j) => [j.id, j.cron])).toEqual([['backup', '30 2 * * *']]);
    await registerSchedules(queues, base);
    expect(await queues.queue(backupQueue).getRepeatableJobs()).toEqual([]);
  });
});
