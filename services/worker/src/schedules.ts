import {
  autoRenewQueue,
  expirySweepQueue,
  outboxDispatchQueue,
  paymentPollQueue,
  reconcilePaymentsQueue,
  remindersQueue,
  schedule,
  usageSyncQueue,
  type QueueFactory,
} from '@vpn/queues';

const MINUTE = 60_000;

/**
 * The repeatable jobs. Each has a fixed id, so every replica registering them at start makes one
 * schedule (Bull keys a repeatable job by name, id and timing) and one job per tick.
 */
export async function registerSchedules(queues: QueueFactory, options: { outboxEveryMs: number; usageSync: boolean }): Promise<void> {
  await schedule(queues, outboxDispatchQueue, {}, { id: 'outbox-dispatch', every: options.outboxEveryMs });
  await schedule(queues, paymentPollQueue, { scope: 'sweep' }, { id: 'payment-poll', every: 5 * MINUTE });
  // 03:30 UTC: after the providers' day has closed in Moscow, before anyone looks at yesterday.
  await schedule(queues, reconcilePaymentsQueue, {}, { id: 'reconcile-payments', cron: '30 3 * * *' });
  await schedule(queues, remindersQueue, {}, { id: 'reminders', every: 15 * MINUTE });
  await schedule(queues, expirySweepQueue, {}, { id: 'expiry-sweep', every: 5 * MINUTE });
  await schedule(queues, autoRenewQueue, { scope: 'sweep' }, { id: 'auto-renew', every: 15 * MINUTE });
  if (options.usageSync) await schedule(queues, usageSyncQueue, {}, { id: 'usage-sync', every: 30 * MINUTE });
}
