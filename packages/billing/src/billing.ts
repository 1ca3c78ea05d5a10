import { createAutoRenewService } from './auto-renew.js';
import { createBalanceService } from './balance-service.js';
import { createContext, type BillingDeps } from './context.js';
import { createLedgerService } from './ledger.js';
import { createPricingService } from './pricing.js';
import { createPromoService } from './promo.js';
import { createSettlementService } from './settlement.js';
import { createCardSaveService } from './card-save.js';
import { createStaffService } from './staff.js';
import { createSubscriptionsService } from './subscriptions.js';
import { createTrialService } from './trial.js';

/**
 * The billing domain over one database handle, grouped by area. Nothing connects here; every
 * method uses `db.transaction` and the repositories, and takes time from `clock`.
 *
 * ```ts
 * const billing = createBilling({ db, logger });
 * const { payment } = await billing.ledger.createPendingPayment({ userId, planId, provider: 'yookassa', idempotencyKey });
 * await billing.settlement.settlePayment({ paymentId: payment.id, providerStatus: 'succeeded', amountMinor, currency });
 * ```
 */
export function createBilling(deps: BillingDeps) {
  const ctx = createContext(deps);
  return {
    pricing: createPricingService(ctx),
    promo: createPromoService(ctx),
    trial: createTrialService(ctx),
    subscriptions: createSubscriptionsService(ctx),
    ledger: createLedgerService(ctx),
    settlement: createSettlementService(ctx),
    autoRenew: createAutoRenewService(ctx),
    /** The customer's balance: reading it, top-ups, staff adjustments (see `balance-service.ts`). */
    balance: createBalanceService(ctx),
    /** Whether the checkout offers saving the card for automatic renewal, and its preset. */
    cardSave: createCardSaveService(ctx),
    /** What staff do to a customer's access (extend, shorten, grant a plan, move, suspend, resume, reset the trial). */
    staff: createStaffService(ctx),
    /** The billing settings in force (from `settings`, with defaults). */
    settings: () => ctx.settings(),
  };
}

export type Billing = ReturnType<typeof createBilling>;
