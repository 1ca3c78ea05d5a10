import type { Payment, Transaction, User } from '@vpn/db';
import { moveBalance } from './balance.js';
import type { BillingContext } from './context.js';
import type { BillingSettings } from './domain/settings.js';
import { enqueueNotice } from './outbox-writer.js';

/** The commission on `amountMinor` at `percent`, in whole minor units (rounded down: never more than promised). */
export const commissionOf = (amountMinor: number, percent: number): number => Math.floor((amountMinor * percent) / 100);

/**
 * Inside a settlement (the referee and the payment locked): when the settings pay referrers a
 * commission, credits the referrer's balance with `referral.commissionPercent` of what the friend
 * paid through a provider (a top-up, a plan or the provider's part of a mixed payment; never a
 * purchase from the balance, whose money was counted when it came in). Only in the balance
 * currency. Once per payment (the entry's reference); the referrer is told.
 */
export async function creditCommission(
  ctx: BillingContext,
  referee: Pick<User, 'id' | 'referrerId'>,
  payment: Payment,
  settings: BillingSettings,
  tx: Transaction,
): Promise<number> {
  if (settings.referralMode === 'days' || referee.referrerId === null || referee.referrerId === referee.id) return 0;
  if (payment.provider === 'balance' || payment.currency !== settings.balance.currency) return 0;
  const amountMinor = commissionOf(payment.amountMinor, settings.referralCommissionPercent);
  if (amountMinor <= 0) return 0;
  const done = await moveBalance(
    ctx,
    {
      userId: referee.referrerId,
      currency: payment.currency,
      kind: 'referral_commission',
      amountMinor,
      reference: `commission:${payment.id}`,
      paymentId: payment.id,
      actor: `referral:${referee.id}`,
    },
    tx,
  );
  if (done.outcome !== 'applied') return 0;
  const params = { paymentId: payment.id, amountMinor, currency: payment.currency, balanceMinor: done.balanceMinor };
  await enqueueNotice(ctx, { userId: referee.referrerId, kind: 'referral_commission', reference: payment.id, params }, tx);
  return amountMinor;
}

/**
 * Inside a refund: takes back the commission a refunded payment earned its referrer (as far as
 * their balance goes: what they spent meanwhile is an `alert.` row for staff). Once per payment.
 */
export async function clawBackCommission(ctx: BillingContext, payment: Payment, tx: Transaction): Promise<void> {
  const earned = await ctx.repos.balances.findByReference(`commission:${payment.id}`, { transaction: tx });
  if (!earned) return;
  const move = {
    userId: earned.userId,
    currency: earned.currency,
    kind: 'referral_clawback' as const,
    amountMinor: -earned.amountMinor,
    reference: `clawback:${payment.id}`,
    paymentId: payment.id,
    reason: 'payment_refunded',
    actor: `payment:${payment.id}`,
  };
  const done = await moveBalance(ctx, move, tx, { clamp: true });
  const taken = done.outcome === 'empty' ? 0 : -done.entry.amountMinor;
  if (taken < earned.amountMinor)
    await ctx.repos.auditLog.append(
      {
        actorKind: 'system',
        action: 'alert.commission_clawback_short',
        entity: 'payment',
        entityId: payment.id,
        data: { referrerId: earned.userId, owedMinor: earned.amountMinor, takenMinor: taken, currency: earned.currency },
      },
      { transaction: tx },
    );
}
