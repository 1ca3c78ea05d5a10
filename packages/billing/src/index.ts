/**
 * `@vpn/billing`: the domain of money and access.
 *
 * - `createBilling({ db, logger, clock? })` → `{ pricing, promo, trial, subscriptions, ledger,
 *   settlement, autoRenew, settings }` (see each service's TSDoc).
 * - The pure rules (`computePrice`, `checkPromo`, `extensionWindow`, `subscriptionTransition`,
 *   `decideSettlement`, `decideRenewal`, ...) for callers that only need to decide.
 * - `BillingError` with stable `code`s; the outbox row shapes (`ProvisionPayload`, `NotifyPayload`).
 */
export { createBilling, type Billing } from './billing.js';
export type { BillingDeps } from './context.js';
export * from './domain/index.js';
export * from './errors.js';
export * from './outbox-messages.js';
export type { QuoteRequest, Quote } from './pricing.js';
export { STARS_CURRENCY, savingAgainst } from './pricing.js';
export type { CreatePaymentRequest, CreatedPendingPayment, PaymentTerms, LedgerOutcome, RefundOptions } from './ledger.js';
export { partialRefundsOf, refundedDays, type PartialRefund, type PartialRefundRequest } from './partial-refund.js';
export type { Change, StaffOptions, StaffService, SubscriptionChange } from './staff.js';
export type { SettleRequest, SettleResult } from './settlement.js';
export { isOtherCharge } from './settlement.js';
export { settlementRecord, type SettlementRecord } from './refund.js';
export type { RenewalCandidate, RenewalCursor, StartRenewalResult } from './auto-renew.js';
export type { ProviderFailure } from './renewal-failure.js';
export type { ActorOptions } from './subscriptions.js';
export type { ReferralClaim } from './referrals.js';
export type { CardSaveOffer } from './card-save.js';
export type { AdjustRequest, BalanceService, TopUpRequest } from './balance-service.js';
export { balanceShareOf } from './balance.js';
