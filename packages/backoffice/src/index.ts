/**
 * `@vpn/backoffice`: what staff and admins do to customers (extend, shorten, grant a plan, refund,
 * block, reissue, reset traffic, move, reset the trial, message) and to the platform, one function
 * per action, each with its permission check (`authorize`, roles in `ROLE_PERMISSIONS`) and an
 * append-only audit entry written in the same transaction as the change. The support bot's card,
 * the admin bot and the admin API call the same functions with an `Actor`.
 */
export { createBackoffice, type Backoffice } from './backoffice.js';
export type { BackofficeDeps } from './context.js';
export { actorTag, type Actor, type AdminActor } from './actor.js';
export { PERMISSIONS, ROLE_PERMISSIONS, authorize, can, type Permission } from './permissions.js';
export { audit, customerSnapshot, paymentSnapshot, subscriptionSnapshot, type AuditRecord } from './audit.js';
export { BackofficeError, isBackofficeError, type BackofficeErrorCode } from './errors.js';
export { MAX_DAYS } from './validate.js';
export { bootstrapOwners, loadActor } from './actions/admins.js';
export type { BlockResult } from './actions/block.js';
export {
  BROADCAST_BUTTON_ROWS,
  BROADCAST_BUTTONS_PER_ROW,
  BROADCAST_CAPTION_MAX,
  BROADCAST_SCHEDULE_MAX_DAYS,
  BROADCAST_TEXT_MAX,
  canDeleteCopies,
  type BroadcastControl,
  type BroadcastDraft,
} from './actions/broadcasts.js';
export type { AdjustBalanceInput, AdjustBalanceResult } from './actions/adjust-balance.js';
export type { DaysInput } from './actions/extend.js';
export { EXPORT_MAX_ROWS, csvCell, type CsvExport } from './actions/export.js';
export { MESSAGE_MAX_LENGTH } from './actions/message.js';
export type { RefundInput, RefundResult } from './actions/refund.js';
export {
  PLAN_DEVICES_MAX,
  PLAN_PRICE_MAX_MINOR,
  PLAN_STARS_MAX,
  PLAN_TRAFFIC_MAX_GIB,
  type PlanDraft,
  type PlanPatch,
} from './actions/plans.js';
export {
  PROMO_BATCH_MAX,
  PROMO_CODE_PATTERN,
  PROMO_PER_CUSTOMER_MAX,
  PROMO_USES_MAX,
  PROMO_VALUE_RANGE,
  promoDeepLink,
  type PromoBatchDraft,
  type PromoDraft,
  type PromoPatch,
  type PromoTerms,
} from './actions/promo.js';
export { MAX_CAPACITY, MAX_WEIGHT, type ServerDraft, type ServerPatch } from './actions/servers.js';
export { SETTINGS_APPLY_SECONDS, type SettingChange, type SettingState } from './actions/settings.js';
export {
  MINUTES_PER,
  SETTING_KEYS,
  SETTING_RULES,
  isSettingKey,
  type DurationUnit,
  type RuleFor,
  type SettingKey,
  type SettingRule,
  type SettingRules,
} from './settings/rules.js';
export { parseSettingInput, settingRange, settingValueText, validateSettingValue } from './settings/values.js';
export { loadCustomerOverview, OVERVIEW_PAYMENTS, amount, gibibytes, stamp, type CustomerOverview } from './overview.js';
