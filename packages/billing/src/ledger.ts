import { PAYMENT_PROVIDERS, type Payment, type PaymentInput, type PaymentProvider, type Plan, type Transaction } from '@vpn/db';
import { applyRenewalFailure } from './renewal-failure.js';
import type { BillingContext } from './context.js';
import { offeredPlan, type PlanOffer } from './domain/plan-offer.js';
import type { PriceQuote } from './domain/pricing.js';
import type { PromoCheck } from './domain/promo-rules.js';
import { BillingError, promoErrorCode } from './errors.js';
import { enqueueNotice } from './outbox-writer.js';
import { quoteFor } from './pricing.js';
import { holdPromoUse, loadActivePlan } from './promo.js';
import { refundPartInTx, type PartialRefundRequest } from './partial-refund.js';
import { refundInTx } from './refund.js';

export interface CreatePaymentRequest {
  userId: number;
  planId: number;
  provider: PaymentProvider;
  /** The caller's key for this checkout (e.g. `checkout:<user>:<plan>:<callback id>`): a retry returns the same payment. */
  idempotencyKey: string;
  promoCode?: string | null;
  /**
   * The customer's checkout this payment belongs to (the bot's checkout nonce): the payments of one
   * checkout, one per payment method tried, hold one promo use between them. Without it every
   * payment is a checkout of its own.
   */
  checkout?: string | null;
  /**
   * The customer agreed, on the checkout screen, that the card is saved for automatic renewal.
   * Only then does a method saved with this payment switch auto-renew on.
   */
  saveCard?: boolean;
  /**
   * Pay this much of the price from the customer's balance and the rest with `provider` (a mixed
   * payment): more than zero, less than the price. Settlement debits it (see `balance-settlement.ts`).
   */
  balanceMinor?: number;
  /**
   * The plan's terms the customer was shown when the checkout opened (`planOffer`): the payment
   * is made on them even if an admin changed the plan since (within `PLAN_OFFER_TTL_MS`).
   * Without it the stored plan's terms apply.
   */
  offer?: PlanOffer | null;
}

export interface CreatedPendingPayment {
  payment: Payment;
  /** false when the idempotency key was seen before and the existing payment is returned. */
  created: boolean;
  price: PriceQuote;
  promo: PromoCheck | null;
}

/** What a settled payment grants, frozen at creation so a later plan edit changes nothing paid for. */
export interface PaymentTerms {
  planCode: string;
  planDays: number;
  promoCode: string | null;
  promoDays: number;
  /** The payment held a promo use at checkout (settlement counts others' holds). */
  promoLimited?: boolean;
  listPriceMinor: number;
  /** Set on payments made before plan prices were final (the period discount then applied). */
  periodDiscountMinor?: number;
  /** The plan's limits at checkout (absent on payments created before they were frozen). */
  trafficLimitBytes?: number | null;
  deviceLimit?: number | null;
}

export type LedgerOutcome = { changed: boolean; payment: Payment };

/** A refund's reason and actor, and a hook that writes the caller's rows (its audit entry) in the same transaction. */
export interface RefundOptions {
  reason?: string;
  actor?: string;
  inTransaction?: (tx: Transaction, change: { before: Payment; after: Payment; changed: boolean }) => Promise<void>;
}

/** Locks a payment in `tx`; PAYMENT_NOT_FOUND when there is none. */
export async function lockPayment(ctx: BillingContext, paymentId: string, tx: Transaction): Promise<Payment> {
  const payment = await ctx.repos.payments.lockForUpdate(paymentId, { transaction: tx });
  if (!payment) throw new BillingError('PAYMENT_NOT_FOUND', `payment ${paymentId} not found`, { paymentId });
  return payment;
}

/**
 * Ends a pending payment (locked by the caller) as `failed` or `cancelled` (a repeat of the same end is a no-op). A failed
 * auto-renew charge counts as a renewal failure (retry or switch auto-renew off); any other failed
 * payment tells the customer. A cancellation (abandoned checkout, expired invoice) is silent.
 */
export async function closeInTx(
  ctx: BillingContext,
  payment: Payment,
  to: 'failed' | 'cancelled',
  reason: string,
  tx: Transaction,
): Promise<LedgerOutcome> {
  if (payment.status === to) return { changed: false, payment };
  if (payment.status !== 'pending') {
    throw new BillingError('ILLEGAL_TRANSITION', `payment ${payment.id}: ${payment.status} → ${to}`, {
      paymentId: payment.id,
      from: payment.status,
      to,
    });
  }
  const { payment: closed } = await ctx.repos.payments.transition(
    payment.id,
    to,
    { failureReason: reason },
    { transaction: tx, locked: true },
  );
  if (to === 'failed' && payment.kind === 'auto_renew') {
    await applyRenewalFailure(ctx, closed, reason, tx);
  } else if (to === 'failed') {
    await enqueueNotice(
      ctx,
      { userId: payment.userId, kind: 'payment_failed', reference: payment.id, params: { paymentId: payment.id, reason } },
      tx,
    );
  }
  ctx.logger.info({ paymentId: payment.id, status: to, reason }, 'payment closed');
  return { changed: true, payment: closed };
}

/** The terms to freeze into a new payment for `plan` at `price`. */
export function termsFor(plan: Plan, price: PriceQuote, promoCode: string | null, promoLimited = false): PaymentTerms {
  return {
    planCode: plan.code,
    planDays: plan.durationDays,
    promoCode,
    promoDays: price.promoDays,
    promoLimited,
    listPriceMinor: price.listPriceMinor,
    trafficLimitBytes: plan.trafficLimitBytes,
    deviceLimit: plan.deviceLimit,
  };
}

/** The terms frozen into a payment at creation (absent for payments made elsewhere). */
export function paymentTerms(payment: Payment): PaymentTerms | null {
  const terms = payment.metadata.terms;
  return typeof terms === 'object' && terms !== null ? (terms as PaymentTerms) : null;
}

/** A retried checkout: the payment made the first time, if it is really the same checkout. */
function replay(payment: Payment, req: CreatePaymentRequest): CreatedPendingPayment {
  if (payment.userId !== req.userId || payment.planId !== req.planId || payment.provider !== req.provider) {
    throw new BillingError('IDEMPOTENCY_CONFLICT', `idempotency key ${req.idempotencyKey} belongs to another checkout`, {
      paymentId: payment.id,
    });
  }
  const terms = paymentTerms(payment);
  const price: PriceQuote = {
    currency: payment.currency,
    listPriceMinor: (terms?.listPriceMinor ?? payment.amountMinor + payment.discountMinor) - (terms?.periodDiscountMinor ?? 0),
    promoDiscountMinor: payment.discountMinor,
    amountMinor: payment.amountMinor + (typeof payment.metadata.balanceMinor === 'number' ? payment.metadata.balanceMinor : 0),
    days: (terms?.planDays ?? 0) + (terms?.promoDays ?? 0),
    promoDays: terms?.promoDays ?? 0,
  };
  return { payment, created: false, price, promo: null };
}

function validateCreate(req: CreatePaymentRequest): void {
  const bad = (why: string) => new BillingError('INVALID_INPUT', why, { ...req });
  if (!Number.isSafeInteger(req.userId) || req.userId <= 0) throw bad('userId must be a positive integer');
  if (!Number.isSafeInteger(req.planId) || req.planId <= 0) throw bad('planId must be a positive integer');
  if (!PAYMENT_PROVIDERS.includes(req.provider)) throw bad(`unknown provider ${String(req.provider)}`);
  if (typeof req.idempotencyKey !== 'string' || req.idempotencyKey.length === 0 || req.idempotencyKey.length > 200) {
    throw bad('idempotencyKey must be 1..200 characters');
  }
  if (req.checkout != null && (typeof req.checkout !== 'string' || req.checkout.length === 0 || req.checkout.length > 100)) {
    throw bad('checkout must be 1..100 characters');
  }
}

export function createLedgerService(ctx: BillingContext) {
  const close = (to: 'failed' | 'cancelled') => (paymentId: string, reason: string) =>
    ctx.transaction(async (tx) => closeInTx(ctx, await lockPayment(ctx, paymentId, tx), to, reason, tx));

  return {
    /**
     * Creates a `pending` payment at the price computed by `computePrice` (the plan's price −
     * promo). The promo is checked here (refused with `PROMO_<REASON>`); a
     * limited one is checked again under its row lock and the payment holds one use while it is
     * pending (`promo-hold.ts`), so customers racing for the last use cannot all get the
     * discount; the use is spent at settlement. The plan's days and the promo's
     * days are frozen into `metadata.terms`; `discount_minor` holds the promo's part of the
     * discount. The same `idempotencyKey` returns the same payment (`created: false`).
     * With `offer`, the plan's price, days and limits are those the customer was shown.
     * @throws BillingError `INVALID_INPUT` | `USER_NOT_FOUND` | `USER_BLOCKED` | `PLAN_NOT_FOUND` |
     *   `PLAN_INACTIVE` | `PLAN_CHANGED` | `PROMO_*` | `IDEMPOTENCY_CONFLICT`
     */
    async createPendingPayment(req: CreatePaymentRequest): Promise<CreatedPendingPayment> {
      validateCreate(req);
      const existing = await ctx.repos.payments.findByIdempotencyKey(req.idempotencyKey);
      if (existing) return replay(existing, req);
      const user = await ctx.repos.users.findById(req.userId);
      if (!user) throw new BillingError('USER_NOT_FOUND', `user ${req.userId} not found`, { userId: req.userId });
      if (user.blocked) throw new BillingError('USER_BLOCKED', `user ${req.userId} is blocked`, { userId: req.userId });
      // The terms the customer saw, not an admin's edit made since (the stored plan must still be on sale).
      const offered = offeredPlan(await loadActivePlan(ctx, req.planId), req.offer, ctx.now());
      // The conversion is settlement's to make (at the time of payment), not the checkout's.
      const { plan, price, promo } = await quoteFor(ctx, req, offered, { conversion: false });
      if (promo && !promo.ok) {
        const why = promo.detail ? `${promo.reason} (${promo.detail})` : promo.reason;
        throw new BillingError(promoErrorCode(promo.reason), `promo code refused: ${why}`, { reason: promo.reason, detail: promo.detail });
      }
      if (price.amountMinor <= 0)
        throw new BillingError('INVALID_INPUT', `plan ${plan.id} is free and cannot be paid for`, { planId: plan.id });
      const share = req.balanceMinor ?? 0;
      if (share !== 0 && (req.provider === 'balance' || !Number.isSafeInteger(share) || share < 0 || share >= price.amountMinor))
        throw new BillingError('INVALID_INPUT', `a balance part of ${share} does not fit a price of ${price.amountMinor}`, {
          balanceMinor: share,
        });
      const live = await ctx.repos.subscriptions.getCurrentForUser(req.userId);
      // Every code has a per-customer limit, so every payment with one holds a use.
      const held = promo?.ok ? promo.promo : null;
      const terms = termsFor(plan, price, promo?.ok ? promo.promo.code : null, held !== null);
      const input: PaymentInput = {
        userId: req.userId,
        provider: req.provider,
        idempotencyKey: req.idempotencyKey,
        // A mixed payment: the provider is paid what the balance does not cover.
        amountMinor: price.amountMinor - share,
        currency: price.currency,
        kind: live && !live.isTrial ? 'renewal' : 'purchase',
        planId: plan.id,
        subscriptionId: live?.id ?? null,
        promoCodeId: promo?.ok ? promo.promo.id : null,
        discountMinor: price.promoDiscountMinor,
        metadata: {
          terms,
          ...(req.checkout ? { checkout: req.checkout } : {}),
          ...(req.saveCard ? { saveCard: true } : {}),
          ...(share > 0 ? { balanceMinor: share } : {}),
        },
      };
      // A code: the payment is inserted and holds its use in one transaction, under the code's lock.
      const { payment, created } = held
        ? await ctx.transaction(async (tx) => {
            const made = await ctx.repos.payments.create(input, { transaction: tx });
            if (made.created)
              await holdPromoUse(
                ctx,
                {
                  promoId: held.id,
                  userId: req.userId,
                  plan,
                  currency: price.currency,
                  now: ctx.now(),
                  current: { paymentId: made.payment.id, checkout: req.checkout ?? null },
                },
                tx,
              );
            return made;
          })
        : await ctx.repos.payments.create(input);
      if (!created) return replay(payment, req);
      ctx.logger.info(
        { paymentId: payment.id, userId: req.userId, amountMinor: payment.amountMinor, currency: payment.currency },
        'payment created',
      );
      return { payment, created: true, price, promo };
    },

    /** Records the provider's id and payment page for a created payment. */
    async attachExternal(paymentId: string, data: { externalId: string; confirmationUrl?: string | null }): Promise<Payment> {
      return ctx.repos.payments.attachExternal(paymentId, data);
    },

    /**
     * `pending → failed` with a reason; a repeat is a no-op (`changed: false`).
     * @throws BillingError `PAYMENT_NOT_FOUND` | `ILLEGAL_TRANSITION`
     */
    failPayment: close('failed'),
    /** `pending → cancelled`; same rules as {@link failPayment}. */
    cancelPayment: close('cancelled'),

    /**
     * `succeeded → refunded`, taking back the days the payment bought (see `refund.ts` for the
     * policy). The provider refund itself is the caller's (admin bot / worker via `@vpn/payments`).
     * @throws BillingError `PAYMENT_NOT_FOUND` | `ILLEGAL_TRANSITION`
     */
    async refundPayment(paymentId: string, options: RefundOptions = {}): Promise<LedgerOutcome> {
      return ctx.transaction(async (tx) => {
        const payment = await lockPayment(ctx, paymentId, tx);
        const out = await refundInTx(ctx, payment, options, tx);
        await options.inTransaction?.(tx, { before: payment, after: out.payment, changed: out.changed });
        return out;
      });
    },

    /**
     * Gives back `amountMinor` of a `succeeded` payment (a partial refund the provider made): the
     * payment stays `succeeded` with the part in `metadata.refunds`, the grant's days in proportion
     * come off the subscription, the customer is told. Once per `refundId`; parts that reach the
     * whole amount refund the payment. See `partial-refund.ts`.
     * @throws BillingError `PAYMENT_NOT_FOUND` | `ILLEGAL_TRANSITION` | `INVALID_INPUT` (more than is left)
     */
    async refundPart(paymentId: string, request: PartialRefundRequest & Pick<RefundOptions, 'inTransaction'>): Promise<LedgerOutcome> {
      return ctx.transaction(async (tx) => {
        const payment = await lockPayment(ctx, paymentId, tx);
        const out = await refundPartInTx(ctx, payment, request, tx);
        await request.inTransaction?.(tx, { before: payment, after: out.payment, changed: out.changed });
        return out;
      });
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
