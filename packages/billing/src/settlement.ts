import {
  PAYMENT_PROVIDERS,
  PAYMENT_STATUSES,
  type Payment,
  type PaymentProvider,
  type PaymentStatus,
  type RedeemRefusal,
  type Transaction,
  type User,
} from '@vpn/db';
import type { BillingContext } from './context.js';
import { decideSettlement } from './domain/ledger-machine.js';
import { BillingError, type BillingErrorCode } from './errors.js';
import { closeInTx, lockPayment } from './ledger.js';
import { enqueueNotice } from './outbox-writer.js';
import { refundInTx } from './refund.js';
import { settlePaid } from './balance-settlement.js';
import { PromoLostError } from './settle-success.js';

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
  /** `lateSuccess`: the payment had been failed or cancelled and the provider confirmed it was paid. */
  | {
      outcome: 'settled';
      payment: Payment;
      subscriptionId: number;
      grantedDays: number;
      promoRedeemed: boolean;
      referralRewarded: boolean;
      lateSuccess: boolean;
    }
  /** Already final: nothing done. `conflict`: the provider disagrees about money and a human must decide (alert staff). */
  | { outcome: 'already_settled'; payment: Payment; conflict: boolean }
  | { outcome: 'pending'; payment: Payment }
  /**
   * The payment's money went onto the customer's balance: a top-up (`why: 'top_up'`), or a plan
   * paid partly from a balance that no longer had its share (`balance_short`: nothing bought).
   */
  | { outcome: 'credited'; payment: Payment; creditedMinor: number; balanceMinor: number; why: 'top_up' | 'balance_short' }
  /**
   * A second charge (`chargeId`) for a payment already charged under another id (Telegram Stars:
   * a second invoice of the same payment paid): it buys nothing. The event stays unprocessed; the
   * caller refunds the charge and then calls `recordDuplicateRefund`.
   */
  | { outcome: 'duplicate_charge'; payment: Payment; chargeId: string }
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

/** The payment the report is about and its customer, both locked (payment first). */
async function lockForSettlement(ctx: BillingContext, req: SettleRequest, tx: Transaction): Promise<{ payment: Payment; customer: User }> {
  const ref = req.paymentId ? { id: req.paymentId } : { provider: req.provider as PaymentProvider, externalId: req.externalId as string };
  const locked = await ctx.repos.payments.lockWithCustomer(ref, { transaction: tx });
  if (locked) return locked;
  if (req.paymentId) throw new BillingError('PAYMENT_NOT_FOUND', `payment ${req.paymentId} not found`, { paymentId: req.paymentId });
  throw new BillingError('PAYMENT_NOT_FOUND', `no ${req.provider} payment ${req.externalId}`, {
    provider: req.provider,
    externalId: req.externalId,
  });
}

const mismatchOf = (payment: Payment, req: SettleRequest) =>
  payment.currency !== req.currency ? 'CURRENCY_MISMATCH' : payment.amountMinor !== req.amountMinor ? 'AMOUNT_MISMATCH' : null;

async function reject(ctx: BillingContext, payment: Payment, req: SettleRequest, tx: Transaction): Promise<SettleResult | null> {
  const code = mismatchOf(payment, req);
  if (!code) return null;
  ctx.logger.error(
    {
      paymentId: payment.id,
      expected: { amountMinor: payment.amountMinor, currency: payment.currency },
      reported: { amountMinor: req.amountMinor, currency: req.currency },
    },
    'settlement rejected: amount or currency mismatch',
  );
  // A late report with other figures for a payment already closed changes nothing: a human decides.
  if (payment.status !== 'pending') return { outcome: 'already_settled', payment, conflict: true };
  const { payment: failed } = await closeInTx(ctx, payment, 'failed', code.toLowerCase(), tx);
  return { outcome: 'rejected', payment: failed, code };
}

/**
 * Whether `req` reports a charge other than the one `payment` was settled with: only Stars can
 * be charged twice for one payment (each invoice sent is payable; Telegram gives every charge its
 * own id), and a settled Stars payment's external id is its charge id.
 */
export function isOtherCharge(payment: Pick<Payment, 'provider' | 'status' | 'externalId'>, externalId: string | undefined): boolean {
  return (
    payment.provider === 'stars' &&
    (payment.status === 'succeeded' || payment.status === 'refunded') &&
    externalId !== undefined &&
    payment.externalId !== null &&
    externalId !== payment.externalId
  );
}

export function createSettlementService(ctx: BillingContext) {
  return {
    /**
     * Applies a provider's report to our payment in ONE transaction under the row locks of the
     * payment and its customer (taken together, payment first): an already final payment is a
     * no-op (`already_settled`), except a success reported for a payment we failed or cancelled,
     * which is honoured as a late success (settled like any other, `lateSuccess: true`, recorded
     * in the audit log and in `metadata.lateSuccess`); a success is checked for the exact amount and currency (a
     * mismatch fails the payment with `failure_reason` `amount_mismatch` / `currency_mismatch`
     * and grants nothing), then marked succeeded together with the promo use, the subscription
     * extension (invariant 4), a first-payment referral reward, a provisioning outbox row and a
     * customer notice. A crash before commit leaves nothing; a crash after it makes the retry
     * see `succeeded` under the lock, so it never extends twice. A promo use lost to a
     * concurrent settlement rolls the attempt back and settles again without its days (at most
     * one extra transaction, only in that race).
     * @throws BillingError `INVALID_INPUT` | `PAYMENT_NOT_FOUND` (wrong id, or a provider that
     *   does not own the payment)
     */
    async settlePayment(req: SettleRequest): Promise<SettleResult> {
      validate(req);
      let result: SettleResult;
      try {
        result = await ctx.transaction((tx) => settleInTx(ctx, req, tx));
      } catch (error) {
        if (!(error instanceof PromoLostError)) throw error;
        ctx.logger.warn(
          { paymentId: req.paymentId, externalId: req.externalId, reason: error.reason },
          'promo use lost at settlement; quoted price honoured',
        );
        result = await ctx.transaction((tx) => settleInTx(ctx, req, tx, error.reason));
      }
      const level =
        result.outcome === 'already_settled' && result.conflict
          ? 'error'
          : result.outcome === 'settled' && result.lateSuccess
            ? 'warn'
            : 'info';
      const late = result.outcome === 'settled' && result.lateSuccess ? { lateSuccess: result.payment.metadata.lateSuccess } : {};
      ctx.logger[level]({ paymentId: result.payment.id, outcome: result.outcome, ...late }, 'settlement');
      return result;
    },

    /**
     * Records that the duplicate charge `chargeId` of a payment (see `duplicate_charge`) was
     * refunded at the provider: an audit entry (`payment.duplicate_charge_refunded`), a notice to
     * the customer, and the event marked processed, in one transaction, once per event.
     */
    async recordDuplicateRefund(input: { paymentId: string; chargeId: string; eventId?: number }): Promise<void> {
      await ctx.transaction(async (tx) => {
        const payment = await lockPayment(ctx, input.paymentId, tx);
        const event = input.eventId === undefined ? null : await ctx.repos.paymentEvents.get(input.eventId, { transaction: tx });
        if (event?.processedAt) return;
        const data = {
          chargeId: input.chargeId,
          settledChargeId: payment.externalId,
          amountMinor: payment.amountMinor,
          currency: payment.currency,
        };
        await ctx.repos.auditLog.append(
          { actorKind: 'system', action: 'payment.duplicate_charge_refunded', entity: 'payment', entityId: payment.id, data },
          { transaction: tx },
        );
        const params = { paymentId: payment.id, amountMinor: payment.amountMinor, currency: payment.currency };
        await enqueueNotice(ctx, { userId: payment.userId, kind: 'duplicate_charge_refunded', reference: input.chargeId, params }, tx);
        if (input.eventId !== undefined)
          await ctx.repos.paymentEvents.markProcessed(input.eventId, { paymentId: payment.id }, { transaction: tx });
        ctx.logger.warn({ paymentId: payment.id, chargeId: input.chargeId }, 'duplicate charge refunded');
      });
    },
  };
}

/** One settlement attempt inside `tx` (`lostPromo`: the promo use was lost in the attempt before). */
async function settleInTx(ctx: BillingContext, req: SettleRequest, tx: Transaction, lostPromo?: RedeemRefusal): Promise<SettleResult> {
  const { payment, customer } = await lockForSettlement(ctx, req, tx);
  if (req.provider && req.provider !== payment.provider) {
    throw new BillingError('PAYMENT_NOT_FOUND', `payment ${payment.id} is not a ${req.provider} payment`, { paymentId: payment.id });
  }
  if (isOtherCharge(payment, req.externalId)) {
    // A second charge of a settled payment buys nothing: its success is refunded by the caller;
    // the refund of such a charge (Telegram reports it too) leaves our payment as it is.
    if (req.providerStatus === 'succeeded') return { outcome: 'duplicate_charge', payment, chargeId: req.externalId as string };
    if (req.eventId !== undefined) await ctx.repos.paymentEvents.markProcessed(req.eventId, { paymentId: payment.id }, { transaction: tx });
    return { outcome: 'already_settled', payment, conflict: false };
  }
  const decision = decideSettlement(payment.status, req.providerStatus, payment.failureReason);
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
      out = {
        outcome: 'refunded',
        payment: (await refundInTx(ctx, payment, { reason: req.reason ?? 'provider_refund', actor: `provider:${payment.provider}` }, tx))
          .payment,
      };
      break;
    case 'succeed':
    case 'late_success':
      out = (await reject(ctx, payment, req, tx)) ?? (await settlePaid(ctx, { payment, customer }, req, tx, lostPromo));
      break;
  }
  if (req.eventId !== undefined) await ctx.repos.paymentEvents.markProcessed(req.eventId, { paymentId: payment.id }, { transaction: tx });
  await ctx.flushOutbox(tx);
  await ctx.beforeSettlementCommit?.(payment.id);
  return out;
}

export type SettlementService = ReturnType<typeof createSettlementService>;
