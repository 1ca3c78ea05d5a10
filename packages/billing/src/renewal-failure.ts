import type { Payment, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { afterProviderFailure, afterRenewalFailure } from './domain/renewal-policy.js';
import { enqueueNotice } from './outbox-writer.js';
import { lockCustomer, reviseSubscription } from './subscription-writer.js';

/**
 * A failed auto-renew charge (its payment just moved to `failed` in `tx`): count the failure,
 * schedule the retry `autoRenew.retryHours` later, or switch auto-renew off at
 * `autoRenew.maxFailures`; tell the customer either way.
 */
export async function applyRenewalFailure(ctx: BillingContext, payment: Payment, reason: string, tx: Transaction): Promise<void> {
  if (payment.subscriptionId === null) return;
  const settings = await ctx.settings(tx);
  await lockCustomer(ctx, payment.userId, tx);
  const sub = await ctx.repos.subscriptions.lockForUpdate(payment.subscriptionId, { transaction: tx });
  if (!sub) return;
  const outcome = afterRenewalFailure(sub.renewalFailures, ctx.now(), settings.renewal);
  const attempt = outcome.renewalFailures;
  await reviseSubscription(
    ctx,
    sub,
    {
      event: outcome.disable ? 'auto_renew_disabled' : 'renewal_failed',
      reason: 'renewal',
      actor: 'auto-renew',
      paymentId: payment.id,
      data: { attempt, reason },
      patch: { renewalFailures: outcome.renewalFailures, nextRenewalAttemptAt: outcome.nextAttemptAt, autoRenew: !outcome.disable },
    },
    tx,
  );
  if (outcome.disable) {
    await enqueueNotice(
      ctx,
      { userId: payment.userId, kind: 'renewal_disabled', reference: payment.id, params: { paymentId: payment.id, attempt, reason } },
      tx,
    );
  } else {
    const nextAttemptAt = (outcome.nextAttemptAt as Date).toISOString();
    await enqueueNotice(
      ctx,
      {
        userId: payment.userId,
        kind: 'renewal_failed_retry',
        reference: payment.id,
        params: { paymentId: payment.id, attempt, nextAttemptAt, reason },
      },
      tx,
    );
  }
  ctx.logger.info({ paymentId: payment.id, subscriptionId: sub.id, attempt, disabled: outcome.disable }, 'auto-renew attempt failed');
}

/** What the provider said when it refused a charge on its own side (see `PaymentError.providerSide`). */
export interface ProviderFailure {
  /** Our error code (`not_configured`, `rejected`). */
  code: string;
  /** The HTTP status the provider answered (401, 403). */
  status?: number;
  /** The provider's own error code (`invalid_credentials`, `forbidden`). */
  providerCode?: string;
  message: string;
}

/** One operator alert per provider at most this often: a broken key fails every due customer at once. */
const ALERT_EVERY_MS = 3_600_000;

/**
 * The provider refused an auto-renew charge for a reason of its own (a rotated key, recurring
 * payments switched off): no money moved and it is not the customer's doing. The payment is closed
 * (`provider:<code>`) without counting a renewal failure or telling the customer; the charge is
 * tried again {@link afterProviderFailure} (a new payment: the provider may remember the refused
 * request's idempotency key); operators get an `alert.renewal_provider_failed` audit row (at most
 * one an hour per provider) and an error log line. Returns false when the payment was no longer pending.
 */
export async function applyProviderFailure(
  ctx: BillingContext,
  payment: Payment,
  failure: ProviderFailure,
  tx: Transaction,
): Promise<boolean> {
  if (payment.status !== 'pending') return false;
  const reason = `provider:${failure.providerCode ?? failure.code}`;
  await ctx.repos.payments.transition(payment.id, 'failed', { failureReason: reason }, { transaction: tx, locked: true });
  const now = ctx.now();
  if (payment.subscriptionId !== null) {
    await lockCustomer(ctx, payment.userId, tx);
    const sub = await ctx.repos.subscriptions.lockForUpdate(payment.subscriptionId, { transaction: tx });
    if (sub) {
      await reviseSubscription(
        ctx,
        sub,
        {
          event: 'renewal_provider_failed',
          reason: 'renewal',
          actor: 'auto-renew',
          paymentId: payment.id,
          data: { reason },
          patch: { nextRenewalAttemptAt: afterProviderFailure(now) },
        },
        tx,
      );
    }
  }
  ctx.logger.error(
    { paymentId: payment.id, provider: payment.provider, status: failure.status, providerCode: failure.providerCode, err: failure.message },
    'auto-renew: the payment provider refused the charge on its side (credentials or shop permissions): fix the configuration',
  );
  const t = { transaction: tx };
  const [last] = await ctx.repos.auditLog.list(
    { entity: 'provider', entityId: payment.provider, actionPrefix: 'alert.renewal_provider_failed', limit: 1 },
    t,
  );
  if (!last || now.getTime() - last.createdAt.getTime() >= ALERT_EVERY_MS) {
    await ctx.repos.auditLog.append(
      {
        actorKind: 'system',
        action: 'alert.renewal_provider_failed',
        entity: 'provider',
        entityId: payment.provider,
        data: {
          paymentId: payment.id,
          reason,
          ...failure,
          advice: 'check the provider credentials and whether recurring payments are enabled',
        },
      },
      t,
    );
  }
  return true;
}
