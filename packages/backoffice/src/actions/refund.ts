import { createHash } from 'node:crypto';
import { partialRefundsOf, type LedgerOutcome } from '@vpn/billing';
import type { Payment, Transaction } from '@vpn/db';
import { PaymentError, type PaymentProvider } from '@vpn/payments';
import { actorTag, type Actor } from '../actor.js';
import { audit, paymentSnapshot } from '../audit.js';
import { viaBilling, type BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

export interface RefundInput {
  paymentId: string;
  /** Minor units to give back; omitted = all that is left. Less than the payment needs a provider with partial refunds. */
  amountMinor?: number;
  reason?: string | null;
  /** The confirmation's nonce: the provider's idempotency key, so a repeated press is one refund. */
  requestId: string;
  /** The provider has no refund API (Crypto Pay) and the money went back by hand: only record it. */
  manual?: boolean;
}

export interface RefundResult {
  /** `refunded`: in full; `partly_refunded`: a part, the payment stays paid; `pending`: the provider is still processing it. */
  outcome: 'refunded' | 'partly_refunded' | 'pending';
  payment: Payment;
  amountMinor: number;
  refundId: string;
}

/**
 * The provider's idempotency key for one confirmed refund. Providers cap its length (YooKassa: 64),
 * while a payment id and a request id together can reach 108 characters: a long pair is hashed,
 * and a short one keeps the readable form it always had (a retry of a refund started before this
 * change still finds its key).
 */
export function refundKey(paymentId: string, requestId: string): string {
  const readable = `refund-${paymentId}-${requestId}`;
  return readable.length <= 64 ? readable : `refund-${createHash('sha256').update(`${paymentId}:${requestId}`).digest('base64url')}`;
}

/**
 * The provider's ids of this payment's refunds made for other requests than the one keyed
 * `idempotencyKey`: every refund recorded (the ledger's parts, the audit of requested and made
 * refunds) except those the audit ties to this key. A provider without idempotency keys needs them
 * to tell a second refund of the same amount from a retry of the first.
 */
async function otherRefundIds(ctx: BackofficeContext, payment: Payment, idempotencyKey: string): Promise<string[]> {
  const entries = (
    await ctx.db.repos.auditLog.list({ entity: 'user', entityId: String(payment.userId), actionPrefix: 'payment.refund', limit: 500 })
  ).filter((e) => e.data.paymentId === payment.id && typeof e.data.refundId === 'string');
  const mine = new Set(entries.filter((e) => e.data.idempotencyKey === idempotencyKey).map((e) => e.data.refundId as string));
  const all = [...partialRefundsOf(payment).refunds.map((r) => r.refundId), ...entries.map((e) => e.data.refundId as string)];
  return [...new Set(all)].filter((id) => !mine.has(id));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The provider that refunds `payment`, or why it cannot. */
function providerFor(ctx: BackofficeContext, payment: Payment, partial: boolean, manual: boolean): PaymentProvider | null {
  if (payment.provider === 'balance') {
    // Paid from the balance alone: the ledger gives the money back to the balance, no provider involved.
    if (partial || manual)
      throw new BackofficeError('NOT_ALLOWED', 'a payment from the balance is refunded whole, to the balance', 'amountMinor');
    return null;
  }
  const provider = ctx.payments?.has(payment.provider) ? ctx.payments.get(payment.provider) : null;
  if (manual) {
    if (provider?.capabilities.refund)
      throw new BackofficeError(
        'NOT_ALLOWED',
        `${payment.provider} refunds through its API; a manual record is only for providers without one`,
        'manual',
      );
    return null;
  }
  if (!provider)
    throw new BackofficeError('PROVIDER_CANNOT', `${payment.provider} is not configured in this process`, 'provider', {
      provider: payment.provider,
    });
  if (!provider.capabilities.refund)
    throw new BackofficeError(
      'PROVIDER_CANNOT',
      `${payment.provider} has no refund API: return the money by hand, then record it`,
      'provider',
      {
        provider: payment.provider,
        manualPossible: true,
      },
    );
  if (partial && !provider.capabilities.partialRefund)
    throw new BackofficeError('PROVIDER_CANNOT', `${payment.provider} refunds only the whole payment`, 'amountMinor', {
      provider: payment.provider,
    });
  if (!payment.externalId) throw new BackofficeError('NOT_ALLOWED', `payment ${payment.id} has no provider id to refund`, 'paymentId');
  return provider;
}

/**
 * Refund a payment in full, or in part where the provider allows it (`payments:refund`), after
 * the staff member confirmed. The provider is asked first (idempotent by `requestId`); once it has
 * given the money back the ledger follows in one transaction with the audit entry: in full the
 * payment is `refunded` and the days it granted come off the subscription (never before now); in
 * part it stays paid and the days come off in proportion. The customer is told either way. A
 * refund the provider is still processing is recorded as requested; its notification finishes it.
 * If this process dies between the provider's answer and the ledger, the provider's refund
 * notification settles the full refund the same way.
 */
export async function refundPayment(ctx: BackofficeContext, actor: Actor, input: RefundInput): Promise<RefundResult> {
  authorize(actor, 'payments:refund');
  if (typeof input.paymentId !== 'string' || !UUID.test(input.paymentId))
    throw new BackofficeError('INVALID_INPUT', 'paymentId: must be a payment id', 'paymentId');
  const requestId = v.requestId(input.requestId);
  const reason = v.reason(input.reason);
  const payment = await ctx.db.repos.payments.get(input.paymentId);
  if (!payment) throw new BackofficeError('NOT_FOUND', `payment ${input.paymentId} not found`, 'paymentId');
  if (payment.status !== 'succeeded')
    throw new BackofficeError('NOT_ALLOWED', `payment ${payment.id} is ${payment.status}, not paid`, 'paymentId', {
      status: payment.status,
    });
  const left = payment.amountMinor - partialRefundsOf(payment).amountMinor;
  const amountMinor = input.amountMinor === undefined ? left : v.intIn('amountMinor', input.amountMinor, 1, left);
  const partial = amountMinor < payment.amountMinor;
  const provider = providerFor(ctx, payment, partial, input.manual === true);
  const user = await ctx.db.repos.users.findById(payment.userId);

  let refundId = payment.provider === 'balance' ? `balance-${requestId}` : `manual-${requestId}`;
  if (provider) {
    try {
      const idempotencyKey = refundKey(payment.id, requestId);
      const result = await provider.refund({
        externalId: payment.externalId as string,
        amountMinor,
        idempotencyKey,
        otherRefundIds: await otherRefundIds(ctx, payment, idempotencyKey),
        currency: payment.currency,
        ...(reason ? { reason } : {}),
        ...(user ? { customer: { telegramId: user.telegramId, ...(user.email ? { email: user.email } : {}) } } : {}),
      });
      if (result.status === 'failed') throw new BackofficeError('PROVIDER_FAILED', `${payment.provider} declined the refund`, 'provider');
      refundId = result.refundId;
      if (result.status === 'pending') {
        await ctx.db.transaction((tx) =>
          auditRefund(ctx, actor, tx, { payment, after: payment, amountMinor, refundId, reason, pending: true, idempotencyKey }),
        );
        return { outcome: 'pending', payment, amountMinor, refundId };
      }
    } catch (error) {
      if (!(error instanceof PaymentError)) throw error;
      ctx.logger.warn(
        { paymentId: payment.id, provider: payment.provider, code: error.code, err: error },
        'refund refused by the provider',
      );
      throw new BackofficeError('PROVIDER_FAILED', error.message, 'provider', { providerCode: error.details.providerCode ?? error.code });
    }
  }
  // A concurrent repeat of the same confirmation reaches the ledger too (the provider answered it
  // with the same refund): the ledger changes nothing then, and neither does the audit log.
  const hook = async (tx: Transaction, change: { before: Payment; after: Payment; changed: boolean }) => {
    if (!change.changed) return;
    await auditRefund(ctx, actor, tx, {
      payment: change.before,
      after: change.after,
      amountMinor,
      refundId,
      reason,
      pending: false,
      manual: !provider && payment.provider !== 'balance',
      ...(provider ? { idempotencyKey: refundKey(payment.id, requestId) } : {}),
    });
  };
  const base = { reason: reason ?? 'staff refund', actor: actorTag(actor), inTransaction: hook };
  const out: LedgerOutcome = await viaBilling(() =>
    // Any part short of the whole payment (or the rest after earlier parts) is a partial refund.
    partial
      ? ctx.billing.ledger.refundPart(payment.id, { ...base, amountMinor, refundId })
      : ctx.billing.ledger.refundPayment(payment.id, base),
  );
  ctx.logger.info({ paymentId: payment.id, amountMinor, refundId, status: out.payment.status }, 'payment refunded by staff');
  return { outcome: out.payment.status === 'refunded' ? 'refunded' : 'partly_refunded', payment: out.payment, amountMinor, refundId };
}

async function auditRefund(
  ctx: BackofficeContext,
  actor: Actor,
  tx: Transaction,
  r: {
    payment: Payment;
    after: Payment;
    amountMinor: number;
    refundId: string;
    reason: string | null;
    pending: boolean;
    manual?: boolean;
    idempotencyKey?: string;
  },
): Promise<void> {
  await audit(ctx.db.repos, tx, actor, {
    action: r.pending ? 'payment.refund_requested' : 'payment.refund',
    entity: 'user',
    entityId: r.payment.userId,
    before: paymentSnapshot(r.payment),
    after: paymentSnapshot(r.after),
    reason: r.reason,
    details: {
      paymentId: r.payment.id,
      provider: r.payment.provider,
      amountMinor: r.amountMinor,
      refundId: r.refundId,
      manual: r.manual === true,
      ...(r.idempotencyKey ? { idempotencyKey: r.idempotencyKey } : {}),
    },
  });
}
