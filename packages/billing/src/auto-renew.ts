import type { Payment, PaymentInput, PaymentProvider, Subscription, Transaction } from '@vpn/db';
import { settlePaid } from './balance-settlement.js';
import type { BillingContext } from './context.js';
import { computePrice } from './domain/pricing.js';
import { decideRenewal, renewalWindowEnd, renewalWindowStart, type RenewalSkip, type RenewalState } from './domain/renewal-policy.js';
import { closeInTx, lockPayment, termsFor, type LedgerOutcome } from './ledger.js';
import { enqueueNotice } from './outbox-writer.js';
import { listPrice } from './pricing.js';
import { applyProviderFailure, type ProviderFailure } from './renewal-failure.js';
import { lockCustomer, reviseSubscription } from './subscription-writer.js';

/** A subscription whose saved method should be charged now. */
export interface RenewalCandidate {
  subscriptionId: number;
  userId: number;
  /** 1 for the first try, 2 for the retry... */
  attempt: number;
  /** The end being renewed (ISO): with `attempt`, identifies one charge (queue job id). */
  dueAt: string;
  /** Who holds the saved method: the sweep paces charges per provider. */
  provider: PaymentProvider;
  /** The retry time this attempt was scheduled for (ISO), if any: a retry after a provider failure is a charge of its own. */
  retryAt?: string;
}

/** Where a page of renewal candidates stopped: the last row's `(ends_at, id)`. */
export interface RenewalCursor {
  endsAt: Date;
  id: number;
}

export type StartRenewalResult =
  | { outcome: 'charge'; payment: Payment; attempt: number; created: boolean; savedPaymentMethodId: string; provider: PaymentProvider }
  | { outcome: 'skip'; reason: RenewalSkip | 'not_found' | 'plan_unavailable' };

function renewalState(sub: Subscription, hasPendingRenewal: boolean): RenewalState {
  return {
    status: sub.status,
    autoRenew: sub.autoRenew,
    isTrial: sub.isTrial,
    endsAt: sub.endsAt ?? new Date(0),
    renewalFailures: sub.renewalFailures,
    nextAttemptAt: sub.nextRenewalAttemptAt,
    hasSavedMethod: sub.savedPaymentMethodId !== null && sub.savedPaymentProvider !== null,
    hasPendingRenewal,
  };
}

/** One renewal attempt of one period, as the customer sees it ("charging" is said once per attempt). */
const attemptRef = (sub: Subscription, attempt: number) => `auto-renew:sub:${sub.id}:${(sub.endsAt ?? new Date(0)).getTime()}:${attempt}`;

/**
 * The payment of one try: a try after the provider refused on its side is a new payment (the
 * scheduled retry time tells the tries apart), the same attempt for the customer.
 */
const renewalKey = (sub: Subscription, attempt: number) =>
  `${attemptRef(sub, attempt)}${sub.nextRenewalAttemptAt ? `:${sub.nextRenewalAttemptAt.getTime()}` : ''}`;

/** Auto-renew plan unavailable (withdrawn or deleted): switch it off and say so. */
async function disableForPlan(ctx: BillingContext, sub: Subscription, tx: Transaction): Promise<void> {
  const reason = 'plan_unavailable';
  await reviseSubscription(
    ctx,
    sub,
    { event: 'auto_renew_disabled', reason: 'renewal', actor: 'auto-renew', data: { reason }, patch: { autoRenew: false } },
    tx,
  );
  const reference = `sub:${sub.id}:${(sub.endsAt ?? new Date(0)).getTime()}`;
  await enqueueNotice(
    ctx,
    { userId: sub.userId, kind: 'renewal_disabled', reference, params: { paymentId: null, attempt: sub.renewalFailures, reason } },
    tx,
  );
}

/**
 * Renews from the customer's balance when it covers the price, in the renewal's transaction (the
 * customer locked): a payment of provider `balance` settled at once, the balance debited and the
 * subscription extended together under the balance's row lock. Null when the balance is short:
 * the saved card is charged instead.
 */
async function renewFromBalance(ctx: BillingContext, input: PaymentInput, tx: Transaction): Promise<Payment | null> {
  const t = { transaction: tx };
  if ((await ctx.repos.balances.lock(input.userId, input.currency, t)) < input.amountMinor) return null;
  const { payment } = await ctx.repos.payments.create(
    { ...input, provider: 'balance', idempotencyKey: `${input.idempotencyKey}:balance`, savedPaymentMethodId: null },
    t,
  );
  const locked = await ctx.repos.payments.lockWithCustomer({ id: payment.id }, t);
  if (!locked || locked.payment.status !== 'pending') return locked?.payment ?? null;
  const report = {
    paymentId: payment.id,
    providerStatus: 'succeeded' as const,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
  };
  const out = await settlePaid(ctx, locked, report, tx);
  ctx.logger.info({ paymentId: payment.id, subscriptionId: input.subscriptionId }, 'auto-renew paid from the balance');
  return out.payment;
}

export function createAutoRenewService(ctx: BillingContext) {
  /**
   * One page of `dueForAutoRenew` in `(ends_at, id)` order after `after`, and where the
   * next page starts (null after the last): a sweep walks a backlog of any size page by page.
   */
  const duePage = async (
    now: Date,
    page: { limit: number; after?: RenewalCursor },
  ): Promise<{ candidates: RenewalCandidate[]; next: RenewalCursor | null }> => {
    const { renewal } = await ctx.settings();
    // Retries after the end are included: the expiry sweep may already have marked them expired.
    const subs = await ctx.repos.subscriptions.listRenewalCandidates({
      from: renewalWindowStart(now, renewal),
      to: renewalWindowEnd(now, renewal),
      now,
      maxFailures: renewal.maxFailures,
      limit: page.limit,
      ...(page.after ? { after: page.after } : {}),
    });
    const candidates: RenewalCandidate[] = [];
    for (const sub of subs) {
      const decision = decideRenewal(renewalState(sub, false), now, renewal);
      if (decision.action === 'charge' && sub.endsAt && sub.savedPaymentProvider) {
        candidates.push({
          subscriptionId: sub.id,
          userId: sub.userId,
          attempt: decision.attempt,
          dueAt: sub.endsAt.toISOString(),
          provider: sub.savedPaymentProvider,
          ...(sub.nextRenewalAttemptAt ? { retryAt: sub.nextRenewalAttemptAt.toISOString() } : {}),
        });
      }
    }
    const last = subs.at(-1);
    return { candidates, next: subs.length < page.limit || !last?.endsAt ? null : { endsAt: last.endsAt, id: last.id } };
  };

  return {
    /**
     * Subscriptions to charge now: auto-renew on, a saved method, ending within
     * `autoRenew.leadHours` (24 h: "on the day it ends") or ended less than `autoRenew.graceHours`
     * ago, no retry scheduled later, fewer than `autoRenew.maxFailures` failures, not a trial.
     * Reads only; {@link startRenewal} re-checks everything under locks. The first page of `duePage`.
     */
    async dueForAutoRenew(now: Date = ctx.now(), limit = 200): Promise<RenewalCandidate[]> {
      return (await duePage(now, { limit })).candidates;
    },

    duePage,

    /**
     * Creates (or finds again) the `auto_renew` payment for this attempt, priced like any purchase
     * of the subscription's plan without promo, with a `renewal_charging` notice. The worker then
     * charges `savedPaymentMethodId` through `@vpn/payments` with the payment's idempotency key
     * and reports back: `settlePayment` on success, {@link recordRenewalFailure} on failure.
     * A retried call for the same attempt returns the same payment (`created: false`).
     */
    async startRenewal(subscriptionId: number): Promise<StartRenewalResult> {
      const { renewal, minChargeMinor } = await ctx.settings();
      const result = await ctx.transaction(async (tx): Promise<StartRenewalResult> => {
        const t = { transaction: tx };
        const found = await ctx.repos.subscriptions.get(subscriptionId, t);
        if (!found) return { outcome: 'skip', reason: 'not_found' };
        await lockCustomer(ctx, found.userId, tx);
        const sub = (await ctx.repos.subscriptions.lockForUpdate(subscriptionId, t)) as Subscription;
        const decision = decideRenewal(renewalState(sub, false), ctx.now(), renewal);
        if (decision.action === 'skip') return { outcome: 'skip', reason: decision.reason };
        const key = renewalKey(sub, decision.attempt);
        const pending = (await ctx.repos.payments.listByUser(sub.userId, { status: 'pending', limit: 50 }, t)).filter(
          (p) => p.kind === 'auto_renew' && p.subscriptionId === sub.id,
        );
        if (pending.some((p) => p.idempotencyKey !== key)) return { outcome: 'skip', reason: 'in_flight' };
        const plan = sub.planId === null ? null : await ctx.repos.plans.get(sub.planId, t);
        const provider = sub.savedPaymentProvider as PaymentProvider;
        if (!plan || !plan.active || (provider === 'stars' && plan.priceStars === null)) {
          await disableForPlan(ctx, sub, tx);
          return { outcome: 'skip', reason: 'plan_unavailable' };
        }
        const price = computePrice({
          ...listPrice(plan, provider),
          durationDays: plan.durationDays,
          minChargeMinor,
        });
        const input = {
          userId: sub.userId,
          provider,
          idempotencyKey: key,
          amountMinor: price.amountMinor,
          currency: price.currency,
          kind: 'auto_renew' as const,
          planId: plan.id,
          subscriptionId: sub.id,
          savedPaymentMethodId: sub.savedPaymentMethodId,
          metadata: { terms: termsFor(plan, price, null), attempt: decision.attempt },
        };
        // The balance first (Stars have a currency of their own): renewed here, nothing to charge.
        const fromBalance = provider === 'stars' ? null : await renewFromBalance(ctx, input, tx);
        if (fromBalance)
          return {
            outcome: 'charge',
            payment: fromBalance,
            attempt: decision.attempt,
            created: true,
            savedPaymentMethodId: sub.savedPaymentMethodId as string,
            provider: 'balance',
          };
        const { payment, created } = await ctx.repos.payments.create(input, t);
        if (created) {
          const params = { paymentId: payment.id, amountMinor: payment.amountMinor, currency: payment.currency, attempt: decision.attempt };
          // Referenced by the attempt, so the tries a provider failure costs say "charging" once.
          await enqueueNotice(
            ctx,
            { userId: sub.userId, kind: 'renewal_charging', reference: attemptRef(sub, decision.attempt), params },
            tx,
          );
        }
        return {
          outcome: 'charge',
          payment,
          attempt: decision.attempt,
          created,
          savedPaymentMethodId: sub.savedPaymentMethodId as string,
          provider,
        };
      });
      ctx.logger.info(
        {
          subscriptionId,
          outcome: result.outcome,
          ...(result.outcome === 'charge' ? { paymentId: result.payment.id, attempt: result.attempt } : { reason: result.reason }),
        },
        'auto-renew',
      );
      return result;
    },

    /**
     * The charge of an `auto_renew` payment failed (provider declined, method revoked): the payment
     * becomes `failed`, and the failure is counted (retry after 24 h, or auto-renew off after the
     * second) with a `renewal_failed_retry` / `renewal_disabled` notice. A repeat is a no-op.
     * @throws BillingError `PAYMENT_NOT_FOUND` | `ILLEGAL_TRANSITION`
     */
    async recordRenewalFailure(paymentId: string, reason: string): Promise<LedgerOutcome> {
      return ctx.transaction(async (tx) => closeInTx(ctx, await lockPayment(ctx, paymentId, tx), 'failed', reason, tx));
    },

    /**
     * The provider refused the charge on its own side (credentials, shop permissions): not the
     * customer's failure. See `applyProviderFailure`: payment closed, nothing counted or told,
     * retried within the hour, operators alerted. Returns false when the payment was no longer pending.
     * @throws BillingError `PAYMENT_NOT_FOUND`
     */
    async recordProviderFailure(paymentId: string, failure: ProviderFailure): Promise<boolean> {
      return ctx.transaction(async (tx) => applyProviderFailure(ctx, await lockPayment(ctx, paymentId, tx), failure, tx));
    },
  };
}

export type AutoRenewService = ReturnType<typeof createAutoRenewService>;
