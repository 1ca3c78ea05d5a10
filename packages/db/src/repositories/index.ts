import { createAdminSessionsRepository } from './admin-sessions.repository.js';
import { createAdminsRepository } from './admins.repository.js';
import { createAuditLogRepository } from './audit-log.repository.js';
import type { RepoDeps } from './base.js';
import { createBalancesRepository } from './balances.repository.js';
import { createBroadcastsRepository } from './broadcasts.repository.js';
import { createFaqRepository } from './faq.repository.js';
import { createGaugesRepository } from './gauges.repository.js';
import { createLocksRepository } from './locks.repository.js';
import { createOutboxRepository } from './outbox.repository.js';
import { createPaymentEventsRepository } from './payment-events.repository.js';
import { createPaymentsRepository } from './payments.repository.js';
import { createPlansRepository } from './plans.repository.js';
import { createPromoCodesRepository } from './promo-codes.repository.js';
import { createReferralRewardsRepository } from './referral-rewards.repository.js';
import { createRemindersRepository } from './reminders.repository.js';
import { createSentNotificationsRepository } from './sent-notifications.repository.js';
import { createServerOutagesRepository } from './server-outages.repository.js';
import { createStatsRepository } from './stats.repository.js';
import { createServersRepository } from './servers.repository.js';
import { createSettingsRepository } from './settings.repository.js';
import { createSubscriptionEventsRepository } from './subscription-events.repository.js';
import { createSubscriptionsRepository } from './subscriptions.repository.js';
import { createSupportRepository } from './support.repository.js';
import { createSupportRelaysRepository } from './support-relays.repository.js';
import { createUsageSnapshotsRepository } from './usage-snapshots.repository.js';
import { createUsersRepository } from './users.repository.js';
import { createVpnAccountsRepository } from './vpn-accounts.repository.js';

/** Builds every repository over one set of models. */
export function createRepositories(deps: RepoDeps) {
  return {
    users: createUsersRepository(deps),
    admins: createAdminsRepository(deps),
    adminSessions: createAdminSessionsRepository(deps),
    plans: createPlansRepository(deps),
    servers: createServersRepository(deps),
    subscriptions: createSubscriptionsRepository(deps),
    subscriptionEvents: createSubscriptionEventsRepository(deps),
    vpnAccounts: createVpnAccountsRepository(deps),
    usageSnapshots: createUsageSnapshotsRepository(deps),
    payments: createPaymentsRepository(deps),
    balances: createBalancesRepository(deps),
    paymentEvents: createPaymentEventsRepository(deps),
    promoCodes: createPromoCodesRepository(deps),
    referralRewards: createReferralRewardsRepository(deps),
    faq: createFaqRepository(deps),
    settings: createSettingsRepository(deps),
    support: createSupportRepository(deps),
    supportRelays: createSupportRelaysRepository(deps),
    broadcasts: createBroadcastsRepository(deps),
    sentNotifications: createSentNotificationsRepository(deps),
    serverOutages: createServerOutagesRepository(deps),
    stats: createStatsRepository(deps),
    reminders: createRemindersRepository(deps),
    outbox: createOutboxRepository(deps),
    auditLog: createAuditLogRepository(deps),
    gauges: createGaugesRepository(deps),
    locks: createLocksRepository(deps),
  };
}

/** Every repository of one database handle (`db.repos`). */
export type Repositories = ReturnType<typeof createRepositories>;

export * from './admin-sessions.repository.js';
export * from './admins.repository.js';
export * from './audit-log.repository.js';
export * from './balances.repository.js';
export * from './broadcasts.repository.js';
export * from './faq.repository.js';
export * from './gauges.repository.js';
export * from './locks.repository.js';
export * from './outbox.repository.js';
export * from './payment-events.repository.js';
export * from './payments.repository.js';
export * from './plans.repository.js';
export * from './promo-codes.repository.js';
export * from './referral-rewards.repository.js';
export * from './reminders.repository.js';
export * from './sent-notifications.repository.js';
export * from './server-outages.repository.js';
export * from './stats.repository.js';
export * from './servers.repository.js';
export * from './settings.repository.js';
export * from './subscription-events.repository.js';
export * from './subscriptions.repository.js';
export * from './support.repository.js';
export * from './support-relays.repository.js';
export * from './usage-snapshots.repository.js';
export * from './users.repository.js';
export * from './vpn-accounts.repository.js';
