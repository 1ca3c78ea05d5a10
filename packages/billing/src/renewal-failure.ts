import type { Payment, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { afterRenewalFailure } from './domain/renewal-policy.js';
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
