import type { Logger } from '@vpn/logger';
import type { z } from 'zod';
import {
  autoRenewQueue,
  backupQueue,
  broadcastQueue,
  consume,
  deferredSendQueue,
  type ConsumeOptions,
  type Processor,
  type QueueContract,
  expirySweepQueue,
  notificationsQueue,
  outboxDispatchQueue,
  paymentPollQueue,
  doctorQueue,
  provisioningQueue,
  reconcilePaymentsQueue,
  remindersQueue,
  serverHealthQueue,
  settlementQueue,
  supportRelayQueue,
  sweepNotificationsQueue,
  usageSyncQueue,
  vpnReconcileQueue,
} from '@vpn/queues';
import type { WorkerDeps, WorkerOptions } from './deps.js';
import { createAutoRenewProcessor } from './processors/auto-renew.processor.js';
import { createBackupProcessor } from './processors/backup.processor.js';
import { createBroadcastProcessor } from './processors/broadcast.processor.js';
import { BroadcastMedia } from './broadcast/broadcast-media.js';
import { createDoctorProcessor } from './processors/doctor.processor.js';
import { createDeferredSendProcessor } from './processors/deferred-send.processor.js';
import { trackOutages } from './outage/track-outages.js';
import { createExpirySweepProcessor } from './processors/expiry-sweep.processor.js';
import { createNotificationsProcessor } from './processors/notifications.processor.js';
import { createOutboxDispatchProcessor } from './processors/outbox-dispatch.processor.js';
import { createPaymentPollProcessor } from './processors/payment-poll.processor.js';
import { createProvisioningProcessor } from './processors/provisioning.processor.js';
import { createReconcilePaymentsProcessor } from './processors/reconcile-payments.processor.js';
import { createRemindersProcessor } from './processors/reminders.processor.js';
import { createSettlementProcessor } from './processors/settlement.processor.js';
import { createSupportRelayProcessor } from './processors/support-relay.processor.js';
import { createUsageSyncProcessor } from './processors/usage-sync.processor.js';
import { createServerHealthProcessor } from './processors/server-health.processor.js';
import { createVpnReconcileProcessor } from './processors/vpn-reconcile.processor.js';
import { checkServersAtStart } from './vpn/check-servers-at-start.js';
import { registerSchedules } from './schedules.js';
import { createOutboxKicker } from './outbox/dispatch-outbox.js';

export interface Worker {
  /** Starts every processor and (unless disabled) registers the schedules. */
  start(): Promise<void>;
  /** Stops taking jobs, lets active ones finish, closes the queues' connections. */
  close(): Promise<void>;
}

/**
 * The worker: one processor per queue, each thin and idempotent, delegating to the domain.
 * Several replicas are safe: jobs are taken once by Bull, and every processor tolerates a job
 * that runs again (after a crash, a stalled lock or a duplicate enqueue).
 * `support-relay` runs when the staff forum is configured.
 */
export function createWorker(deps: WorkerDeps, options: WorkerOptions): Worker {
  const { queues, logger } = deps;
  const on = { logger };
  const outbox = createOutboxKicker(deps);
  return {
    async start() {
      const clock = deps.clock ? { clock: deps.clock } : {};
      const wide = { ...on, concurrency: options.concurrency };
      const serves = (name: string) => options.queues === undefined || options.queues.includes(name);
      const run = <S extends z.ZodType>(contract: QueueContract<S>, processor: Processor<z.output<S>>, consumeOptions: ConsumeOptions) => {
        if (serves(contract.name)) consume(queues, contract, processor, consumeOptions);
      };
      // Before any job may place a customer: a panel that refuses us is marked down first.
      if (deps.serverHealth && (serves(provisioningQueue.name) || serves(serverHealthQueue.name)))
        await checkServersAtStart(
          { ...deps, serverHealth: deps.serverHealth },
          { timeoutMs: options.serverCheckAtStartTimeoutMs ?? 20_000 },
        );
      run(settlementQueue, createSettlementProcessor({ ...deps, outbox }), wide);
      run(outboxDispatchQueue, createOutboxDispatchProcessor(deps), on);
      run(provisioningQueue, createProvisioningProcessor(deps), wide);
      // A customer waits for each answer: never behind a busy lane, a few at once.
      run(doctorQueue, createDoctorProcessor(deps), { ...on, concurrency: 4 });
      // Two lanes, one processor: receipts and configs have consumers of their own, never busy with
      // the thousands of reminders a sweep queues (those wait in notifications-sweep).
      const notify = createNotificationsProcessor(deps);
      run(notificationsQueue, notify, wide);
      run(sweepNotificationsQueue, notify, wide);
      // Replies the client bot could not wait for (a long flood wait), sent once the wait is over.
      run(deferredSendQueue, createDeferredSendProcessor(deps), wide);
      run(paymentPollQueue, createPaymentPollProcessor({ ...deps, ...clock, pollAfterMinutes: options.pollAfterMinutes }), {
        ...on,
        concurrency: 2,
      });
      run(reconcilePaymentsQueue, createReconcilePaymentsProcessor({ ...deps, ...clock }), on);
      run(remindersQueue, createRemindersProcessor({ ...deps, ...clock }), on);
      run(expirySweepQueue, createExpirySweepProcessor(deps), on);
      if (deps.supportChatId !== undefined)
        run(supportRelayQueue, createSupportRelayProcessor({ ...deps, supportChatId: deps.supportChatId }), wide);
      run(autoRenewQueue, createAutoRenewProcessor({ ...deps, ...clock }), { ...on, concurrency: 2 });
      if (deps.broadcasts) {
        const { broadcasts, broadcastOptions, crashPoint } = deps;
        const files = new BroadcastMedia(broadcasts.mediaSource);
        const sender = { ...broadcasts, files, db: deps.db, i18n: deps.i18n, producers: deps.producers, ...clock };
        // A run job lasts the whole broadcast: a few at once, so a tick and a second broadcast still run.
        run(
          broadcastQueue,
          createBroadcastProcessor({
            ...sender,
            ...(crashPoint ? { crashPoint } : {}),
            ...(broadcastOptions ? { options: broadcastOptions } : {}),
          }),
          { ...on, concurrency: 4 },
        );
      }
      if (deps.usage) run(usageSyncQueue, createUsageSyncProcessor({ usage: deps.usage }), on);
      if (deps.serverHealth) {
        const afterCheck = (log: Logger) => trackOutages({ ...deps, ...clock }, log);
        run(serverHealthQueue, createServerHealthProcessor({ serverHealth: deps.serverHealth, afterCheck }), on);
      }
      const reconcile = options.reconcile ?? { cron: '15 */6 * * *', orphans: 'report' as const };
      if (deps.vpnReconciler)
        run(vpnReconcileQueue, createVpnReconcileProcessor({ vpnReconciler: deps.vpnReconciler, orphans: reconcile.orphans }), on);
      if (deps.backups) run(backupQueue, createBackupProcessor(deps.backups), on);
      if (options.schedules) {
        await registerSchedules(queues, {
          outboxEveryMs: options.outboxEveryMs,
          usageSync: deps.usage !== undefined,
          ...(deps.serverHealth ? { serverHealthEveryMs: options.serverHealthEveryMs ?? 60_000 } : {}),
          ...(deps.vpnReconciler ? { reconcileCron: reconcile.cron } : {}),
          broadcasts: deps.broadcasts !== undefined,
          ...(deps.backups ? { backupCron: deps.backups.cron } : {}),
        });
      }
      logger.info({ concurrency: options.concurrency, schedules: options.schedules, queues: options.queues ?? 'all' }, 'worker started');
    },
    async close() {
      await queues.close();
      await outbox.idle();
    },
  };
}
