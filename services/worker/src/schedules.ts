import {
  autoRenewQueue,
  backupQueue,
  broadcastQueue,
  expirySweepQueue,
  outboxDispatchQueue,
  paymentPollQueue,
  reconcilePaymentsQueue,
  remindersQueue,
  schedule,
  serverHealthQueue,
  usageSyncQueue,
  vpnReconcileQueue,
  unschedule,
  type QueueFactory,
} from '@vpn/queues';

export interface ScheduleOptions {
  outboxEveryMs: number;
  usageSync: boolean;
  /** Probe every panel this often (absent: no server-health schedule). */
  serverHealthEveryMs?: number;
  /** Reconcile panels with the database on this cron (absent: no vpn-reconcile schedule). */
  reconcileCron?: string;
  /** Start due scheduled broadcasts and resume running ones every 5 s. */
  broadcasts?: boolean;
  /** Back the database up on this cron (BACKUP_CRON); absent: no backups, and a schedule left from before is removed. */
  backupCron?: string;
}

const MINUTE = 60_000;

/**
 * The repeatable jobs. Each has a fixed id, so every replica registering them at start makes one
 * schedule (Bull keys a repeatable job by name, id and timing) and one job per tick.
 */
export async function registerSchedules(queues: QueueFactory, options: ScheduleOptions): Promise<void> {
  await schedule(queues, outboxDispatchQueue, {}, { id: 'outbox-dispatch', every: options.outboxEveryMs });
  await schedule(queues, paymentPollQueue, { scope: 'sweep' }, { id: 'payment-poll', every: 5 * MINUTE });
  // 03:30 UTC: after the providers' day has closed in Moscow, before anyone looks at yesterday.
  await schedule(queues, reconcilePaymentsQueue, {}, { id: 'reconcile-payments', cron: '30 3 * * *' });
  await schedule(queues, remindersQueue, {}, { id: 'reminders', every: 15 * MINUTE });
  await schedule(queues, expirySweepQueue, {}, { id: 'expiry-sweep', every: 5 * MINUTE });
  await schedule(queues, autoRenewQueue, { scope: 'sweep' }, { id: 'auto-renew', every: 15 * MINUTE });
  if (options.broadcasts) await schedule(queues, broadcastQueue, { scope: 'tick' }, { id: 'broadcast-tick', every: 5_000 });
  if (options.usageSync) await schedule(queues, usageSyncQueue, {}, { id: 'usage-sync', every: 30 * MINUTE });
  // Placement on "the healthiest" only means something while the health rows are kept fresh.
  if (options.serverHealthEveryMs !== undefined)
    await schedule(queues, serverHealthQueue, {}, { id: 'server-health', every: options.serverHealthEveryMs });
  // A dry-run report into the log and the audit log, then the safe repairs (orphans per policy).
  if (options.reconcileCron !== undefined)
    await schedule(queues, vpnReconcileQueue, {}, { id: 'vpn-reconcile', cron: options.reconcileCron });
  if (options.backupCron !== undefined) await schedule(queues, backupQueue, {}, { id: 'backup', cron: options.backupCron });
  else await unschedule(queues, backupQueue, 'backup');
}
