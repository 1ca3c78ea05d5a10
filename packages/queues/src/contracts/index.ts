import { broadcastQueue, deferredSendQueue, notificationsQueue, supportRelayQueue, sweepNotificationsQueue } from './messaging.contract.js';
import { outboxDispatchQueue, paymentPollQueue, reconcilePaymentsQueue, settlementQueue } from './payments.contract.js';
import { autoRenewQueue, expirySweepQueue, provisioningQueue, remindersQueue, usageSyncQueue } from './subscriptions.contract.js';
import { doctorQueue, serverHealthQueue, vpnReconcileQueue } from './servers.contract.js';
import { backupQueue } from './ops.contract.js';

export * from './messaging.contract.js';
export * from './payments.contract.js';
export * from './subscriptions.contract.js';
export * from './servers.contract.js';
export * from './ops.contract.js';
export { entityId, tickSchema } from './ids.schema.js';

/** Every queue of the platform, by short key. */
export const queues = {
  settlement: settlementQueue,
  outboxDispatch: outboxDispatchQueue,
  paymentPoll: paymentPollQueue,
  reconcilePayments: reconcilePaymentsQueue,
  provisioning: provisioningQueue,
  reminders: remindersQueue,
  expirySweep: expirySweepQueue,
  autoRenew: autoRenewQueue,
  usageSync: usageSyncQueue,
  serverHealth: serverHealthQueue,
  vpnReconcile: vpnReconcileQueue,
  doctor: doctorQueue,
  notifications: notificationsQueue,
  sweepNotifications: sweepNotificationsQueue,
  supportRelay: supportRelayQueue,
  broadcast: broadcastQueue,
  backup: backupQueue,
  deferredSend: deferredSendQueue,
} as const;

export type QueueKey = keyof typeof queues;
