import * as createUsers from './202611211400-create-users.js';
import * as createCatalog from './202611211410-create-catalog.js';
import * as createSubscriptions from './202611211420-create-subscriptions.js';
import * as createPayments from './202611211430-create-payments.js';
import * as createSupport from './202611211440-create-support.js';
import * as createBroadcasts from './202611211450-create-broadcasts.js';
import * as createOutbox from './202611211500-create-outbox.js';
import * as addPromoCurrency from './202611211600-add-promo-currency.js';
import * as addServerLatency from './202611211610-add-server-latency.js';
import * as addAccountReissue from './202612041857-add-account-reissue.js';
import * as addPromoHoldIndex from './202612041902-add-promo-hold-index.js';
import * as addLookupIndexes from './202612041911-add-lookup-indexes.js';
import * as addNotificationLease from './202612041920-add-notification-lease.js';
import * as addPasarguardPanelKind from './202612041922-add-pasarguard-panel-kind.js';
import * as addRowChangeNotify from './202612061000-add-row-change-notify.js';
import * as makePlanPricesFinal from './202612071100-make-plan-prices-final.js';
import * as createSupportRelays from './202612071400-create-support-relays.js';
import * as addBackofficeRoles from './202612071500-add-backoffice-roles.js';
import * as addTrialReset from './202612071510-add-trial-reset.js';
import * as addCustomerSearchIndexes from './202612071520-add-customer-search-indexes.js';
import * as createAdminSessions from './202612071900-create-admin-sessions.js';
import * as addBroadcastDeliveryLease from './202612071600-add-broadcast-delivery-lease.js';
import * as createServerOutages from './202612071610-create-server-outages.js';
import * as addBroadcastDeliveryDeleted from './202612071620-add-broadcast-delivery-deleted.js';
import * as addSweepIndexes from './202612072100-add-sweep-indexes.js';
import * as addPaymentProviders from './202612081600-add-payment-providers.js';
import * as addRecoverySweepIndexes from './202612081000-add-recovery-sweep-indexes.js';
import * as addSupportCard from './202612081200-add-support-card.js';
import * as addTicketSla from './202612081210-add-ticket-sla.js';
import * as createDailyStats from './202612081400-create-daily-stats.js';
import * as createBalances from './202612081700-create-balances.js';
import * as addPromoUsageIndex from './202612090001-add-promo-usage-index.js';
import * as fillFaqFromConfiguration from './202612090200-fill-faq-from-configuration.js';
import * as addReferralRevocation from './202612090400-add-referral-revocation.js';
import * as addBroadcastProgressLanguage from './202612090500-add-broadcast-progress-language.js';
import * as encryptAccountLinks from './202612081100-encrypt-account-links.js';
import type { MigrationModule } from './sql-migration.js';

/**
 * Every migration in order. Listed explicitly (not globbed) so the same list works under tsx,
 * vitest and a bundled build. Add new files at the end; the name is `YYYYMMDDHHmm-<verb>-<object>`.
 */
export const migrations: ReadonlyArray<{ name: string; module: MigrationModule }> = [
  { name: '202611211400-create-users', module: createUsers },
  { name: '202611211410-create-catalog', module: createCatalog },
  { name: '202611211420-create-subscriptions', module: createSubscriptions },
  { name: '202611211430-create-payments', module: createPayments },
  { name: '202611211440-create-support', module: createSupport },
  { name: '202611211450-create-broadcasts', module: createBroadcasts },
  { name: '202611211500-create-outbox', module: createOutbox },
  { name: '202611211600-add-promo-currency', module: addPromoCurrency },
  { name: '202611211610-add-server-latency', module: addServerLatency },
  { name: '202612041857-add-account-reissue', module: addAccountReissue },
  { name: '202612041902-add-promo-hold-index', module: addPromoHoldIndex },
  { name: '202612041911-add-lookup-indexes', module: addLookupIndexes },
  { name: '202612041920-add-notification-lease', module: addNotificationLease },
  { name: '202612041922-add-pasarguard-panel-kind', module: addPasarguardPanelKind },
  { name: '202612061000-add-row-change-notify', module: addRowChangeNotify },
  { name: '202612071100-make-plan-prices-final', module: makePlanPricesFinal },
  { name: '202612071400-create-support-relays', module: createSupportRelays },
  { name: '202612071500-add-backoffice-roles', module: addBackofficeRoles },
  { name: '202612071510-add-trial-reset', module: addTrialReset },
  { name: '202612071520-add-customer-search-indexes', module: addCustomerSearchIndexes },
  { name: '202612071600-add-broadcast-delivery-lease', module: addBroadcastDeliveryLease },
  { name: '202612071610-create-server-outages', module: createServerOutages },
  { name: '202612071620-add-broadcast-delivery-deleted', module: addBroadcastDeliveryDeleted },
  { name: '202612071900-create-admin-sessions', module: createAdminSessions },
  { name: '202612072100-add-sweep-indexes', module: addSweepIndexes },
  { name: '202612081000-add-recovery-sweep-indexes', module: addRecoverySweepIndexes },
  { name: '202612081100-encrypt-account-links', module: encryptAccountLinks },
  { name: '202612081200-add-support-card', module: addSupportCard },
  { name: '202612081210-add-ticket-sla', module: addTicketSla },
  { name: '202612081400-create-daily-stats', module: createDailyStats },
  { name: '202612081600-add-payment-providers', module: addPaymentProviders },
  { name: '202612081700-create-balances', module: createBalances },
  { name: '202612090001-add-promo-usage-index', module: addPromoUsageIndex },
  { name: '202612090200-fill-faq-from-configuration', module: fillFaqFromConfiguration },
  { name: '202612090400-add-referral-revocation', module: addReferralRevocation },
  { name: '202612090500-add-broadcast-progress-language', module: addBroadcastProgressLanguage },
];

export type { MigrationContext, MigrationModule } from './sql-migration.js';
