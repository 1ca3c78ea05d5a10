import { PAYMENT_PROVIDERS, PAYMENT_STATUSES, type Payment, type PaymentProvider, type PaymentStatus, type Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { decideSettlement } from './domain/ledger-machine.js';
import { BillingError, type BillingErrorCode } from './errors.js';
import { closeInTx, lockPayment, paymentTerms } from './ledger.js';
import { enqueueNotice } from './outbox-writer.js';
import { claimReferralReward, grantReferrerBonus } from './referrals.js';
import { refundInTx, type SettlementRecord } from './refund.js';
import { extendSubscription, lockCustomer } from './subscription-writer.js';

/** A provider's verified word about one of our payments. */
export interface SettleRequest {
  /** Our payment id (providers carry it back); or give `provider` + `externalId`. */
  paymentId?: string;
  provider?: PaymentProvider;
  externalId?: string;
  providerStatus: PaymentStatus;
  /** What the provider says was paid, in minor units; must equal the payment's amount exactly. */
  amountMinor: number;
  currency: string;
  /** The `payment_events` row this settles; marked processed in the same transaction. */
  eventId?: number;
  /** A method the customer agreed to save (YooKassa): turns auto-renew on. */
  savedPaymentMethodId?: string | null;
  /** Why a payment failed or was cancelled, as the provider puts it. */
  reason?: string;
}

export type SettleResult =
  | { outcome: 'settled'; payment: Payment; subscriptionId: number; grantedDays: number; promoRedeemed: boolean; referralRewarded: boolean }
  /** Already final: nothing done. `conflict`: the provider says it succeeded but we closed it (alert staff). */
  | { outcome: 'already_settled'; payment: Payment; conflict: boolean }
  | { outcome: 'pending'; payment: Payment }
  | { outcome: 'failed' | 'cancelled' | 'refunded'; payment: Payment }
  /** Amount or currency did not match: the payment is failed with that reason, nothing granted. */
  | { outcome: 'rejected'; payment: Payment; code: Extract<BillingErrorCode, 'AMOUNT_MISMATCH' | 'CURRENCY_MISMATCH'> };

function validate(req: SettleRequest): void {
  const bad = (why: string) => new BillingError('INVALID_INPUT', why, { paymentId: req.paymentId, externalId: req.externalId });
  if (!req.paymentId && !(req.provider && req.externalId)) throw bad('give paymentId, or provider and externalId');
  if (req.provider !== undefined && !PAYMENT_PROVIDERS.includes(req.provider)) throw bad(`unknown provider ${String(req.provider)}`);
  if (!PAYMENT_STATUSES.includes(req.providerStatus)) throw bad(`unknown status ${String(req.providerStatus)}`);
  if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor < 0) throw bad('amountMinor must be a non-negative integer');
  if (typeof req.currency !== 'string' || req.currency.length === 0) throw bad('currency is required');
}

async function findPaymentId(ctx: BillingContext, req: SettleRequest, tx: Transaction): Promise<string> {
  if (req.paymentId) return req.paymentId;
  const found = await ctx.repos.payments.findByExternal(req.provider as PaymentProvider, req.externalId as string, { transaction: tx });
  if (!found) throw new BillingError('PAYMENT_NOT_FOUND', `no ${req.provider} payment ${req.externalId}`, { provider: req.provider, externalId: req.externalId });
  return found.id;
}

/** Succeeds a locked pending payment whose amount and currency matched. */
async function succeed(ctx: BillingContext, payment: Payment, req: SettleRequest, tx: Transaction): Promise<SettleResult> {
  const t = { transaction: tx };
  const settings = await ctx.settings(tx);
  await lockCustomer(ctx, payment.userId, tx);
  const user = await ctx.repos.users.findById(payment.userId, t);
  const plan = payment.planId === null ? null : await ctx.repos.plans.get(payment.planId, t);
  const terms = paymentTerms(payment);
  const planDays = terms?.planDays ?? plan?.durationDays;
  if (!user || !planDays) throw new BillingError('INVALID_INPUT', `payment ${payment.id} has no user or plan to grant`, { paymentId: payment.id });

  // The promo was checked when the payment was created; its use is spent only now, atomically.
  // A customer who lost the race for the last use still gets what they paid for (the quoted
  // price was charged), but not a `days` bonus, and the loss is logged for staff.
  let promoOutcome = 'none';
  if (payment.promoCodeId !== null) {
    const redeemed = await ctx.repos.promoCodes.redeem({ promoCodeId: payment.promoCodeId, userId: payment.userId, paymentId: payment.id, now: payment.createdAt }, t);
    promoOutcome = redeemed.ok ? 'redeemed' : redeemed.reason;
    if (!redeemed.ok) ctx.logger.warn({ paymentId: payment.id, promoCodeId: payment.promoCodeId, reason: redeemed.reason }, 'promo use lost at settlement; quoted price honoured');
  }
  const promoDays = promoOutcome === 'redeemed' ? (terms?.promoDays ?? 0) : 0;
  const referral = await claimReferralReward(ctx, user, payment.id, settings, tx);
  const grantedDays = planDays + promoDays + (referral?.refereeDays ?? 0);
  const renewal = payment.kind !== 'purchase';
  const savedMethod = req.savedPaymentMethodId ?? null;
  const { subscription } = await extendSubscription(
    ctx,
    {
      userId: payment.userId,
      days: grantedDays,
      event: renewal ? 'renewal' : 'purchase',
      reason: renewal ? 'renewal' : 'purchase',
      actor: `payment:${payment.id}`,
      paymentId: payment.id,
      patch: {
        isTrial: false,
        renewalFailures: 0,
        nextRenewalAttemptAt: null,
        ...(plan ? { planId: plan.id, trafficLimitBytes: plan.trafficLimitBytes, deviceLimit: plan.deviceLimit } : {}),
        ...(savedMethod ? { savedPaymentMethodId: savedMethod, savedPaymentProvider: payment.provider, autoRenew: true } : {}),
      },
      data: { planDays, promoDays, refereeDays: referral?.refereeDays ?? 0 },
    },
    tx,
  );
  if (referral) await grantReferrerBonus(ctx, referral, payment.id, tx);
  const settlement: SettlementRecord = { subscriptionId: subscription.id, grantedDays, promoOutcome, referralRewarded: referral !== null };
  const { payment: settled } = await ctx.repos.payments.transition(
    payment.id,
    'succeeded',
    { paidAt: ctx.now(), savedPaymentMethodId: savedMethod ?? undefined, externalId: req.externalId ?? undefined, metadata: { settlement } },
    t,
  );
  const params = { paymentId: payment.id, amountMinor: payment.amountMinor, currency: payment.currency, days: grantedDays, endsAt: (subscription.endsAt as Date).toISOString() };
  await enqueueNotice(ctx, { userId: payment.userId, kind: payment.kind === 'auto_renew' ? 'renewal_succeeded' : 'payment_succeeded', reference: payment.id, params }, tx);
  return { outcome: 'settled', payment: settled, subscriptionId: subscription.id, grantedDays, promoRedeemed: promoOutcome === 'redeemed', referralRewarded: referral !== null };
}

async function reject(ctx: BillingContext, payment: Payment, req: SettleRequest, tx: Transaction): Promise<SettleResult | null> {
  const code = payment.currency !== req.currency ? 'CURRENCY_MISMATCH' : payment.amountMinor !== req.amountMinor ? 'AMOUNT_MISMATCH' : null;
  if (!code) return null;
  ctx.logger.error(
    { paymentId: payment.id, expected: { amountMinor: payment.amountMinor, currency: payment.currency }, reported: { amountMinor: req.amountMinor, currency: req.currency } },
    'settlement rejected: amount or currency mismatch',
  );
  const { payment: failed } = await closeInTx(ctx, payment, 'failed', code.toLowerCase(), tx);
  return { outcome: 'rejected', payment: failed, code };
}

export function createSettlementService(ctx: BillingContext) {
  return {
    /**
     * Applies a provider's report to our payment in ONE transaction under the payment's row lock:
     * an already final payment is a no-op (`already_settled`); a success is checked for the exact
     * amount and currency (a mismatch fails the payment with `failure_reason` `amount_mismatch` /
     * `currency_mismatch` and grants nothing), then marked succeeded together with the promo use,
     * the subscription extension (invariant 4), a first-payment referral reward, a provisioning
     * outbox row and a customer notice. A crash before commit leaves nothing; a crash after it
     * makes the retry see `succeeded` under the lock, so it never extends twice.
     * @throws BillingError `INVALID_INPUT` | `PAYMENT_NOT_FOUND` (wrong id, or a provider that
     *   does not own the payment)
     */
    async settlePayment(req: SettleRequest): Promise<SettleResult> {
      validate(req);
      const result = await ctx.transaction(async (tx): Promise<SettleResult> => {
        const payment = await lockPayment(ctx, await findPaymentId(ctx, req, tx), tx);
        if (req.provider && req.provider !== payment.provider) {
          throw new BillingError('PAYMENT_NOT_FOUND', `payment ${payment.id} is not a ${req.provider} payment`, { paymentId: payment.id });
        }
        const decision = decideSettlement(payment.status, req.providerStatus);
        let out: SettleResult;
        switch (decision.action) {
          case 'noop':
            out = { outcome: 'already_settled', payment, conflict: decision.conflict };
            break;
          case 'wait':
            out = { outcome: 'pending', payment };
            break;
          case 'fail':
          case 'cancel': {
            const to = decision.action === 'fail' ? 'failed' : 'cancelled';
            out = { outcome: to, payment: (await closeInTx(ctx, payment, to, req.reason ?? `provider_${req.providerStatus}`, tx)).payment };
            break;
          }
          case 'refund':
            out = { outcome: 'refunded', payment: (await refundInTx(ctx, payment, { reason: req.reason ?? 'provider_refund', actor: `provider:${payment.provider}` }, tx)).payment };
            break;
          case 'succeed':
            out = (await reject(ctx, payment, req, tx)) ?? (await succeed(ctx, payment, req, tx));
            break;
        }
        if (req.eventId !== undefined) await ctx.repos.paymentEvents.markProcessed(req.eventId, { paymentId: payment.id }, { transaction: tx });
        await ctx.beforeSettlementCommit?.(payment.id);
        return out;
      });
      const level = result.outcome === 'already_settled' && result.conflict ? 'error' : 'info';
      ctx.logger[level]({ paymentId: result.payment.id, outcome: result.outcome }, 'settlement');
      return result;
    },
  };
}

export type SettlementService = ReturnType<typeof createSettlementService>;
