import type { Payment, Transaction, User } from '@vpn/db';
import { creditCommission } from './commission.js';
import { moveBalance, balanceShareOf } from './balance.js';
import type { BillingContext } from './context.js';
import { BillingError } from './errors.js';
import { enqueueNotice } from './outbox-writer.js';
import { lateSuccessRecord, recordLateSuccess } from './settlement-audit.js';
import type { SettleRequest, SettleResult } from './settlement.js';
import { succeed } from './settle-success.js';

/**
 * Settles a paid payment in `tx` (payment and customer locked by the caller): a top-up credits the
 * balance; a plan paid wholly or partly from the balance debits its share first and then is
 * granted as any plan payment. A mixed payment whose share the balance no longer has (spent
 * between checkout and payment) buys nothing: what the provider took goes onto the balance and
 * the customer is told (`balance_short`), so no money is ever lost or spent twice. A plan paid
 * from the balance alone that the balance cannot cover is refused (`INSUFFICIENT_BALANCE`, the
 * transaction rolls back and the payment stays pending).
 */
export async function settlePaid(...args: Parameters<typeof succeed>): Promise<SettleResult> {
  const [ctx, locked, req, tx] = args;
  const { payment } = locked;
  if (payment.kind === 'top_up') return creditToBalance(ctx, locked, req, 'top_up', tx);
  const share = balanceShareOf(payment);
  if (share > 0) {
    const debit = await ctx.repos.balances.apply(
      {
        userId: payment.userId,
        currency: payment.currency,
        kind: 'purchase',
        amountMinor: -share,
        reference: `purchase:${payment.id}`,
        paymentId: payment.id,
        actor: `payment:${payment.id}`,
      },
      { transaction: tx },
    );
    if (debit.outcome === 'insufficient') {
      if (payment.provider === 'balance')
        throw new BillingError('INSUFFICIENT_BALANCE', `balance of ${payment.userId} cannot pay ${payment.id}`, {
          paymentId: payment.id,
          balanceMinor: debit.balanceMinor,
          amountMinor: share,
        });
      return creditToBalance(ctx, locked, req, 'balance_short', tx);
    }
  }
  return succeed(...args);
}

/** The provider's money onto the balance, the payment succeeded with `metadata.settlement.credited`. */
async function creditToBalance(
  ctx: BillingContext,
  { payment, customer }: { payment: Payment; customer: User },
  req: SettleRequest,
  why: 'top_up' | 'balance_short',
  tx: Transaction,
): Promise<SettleResult> {
  const credit = await moveBalance(
    ctx,
    {
      userId: payment.userId,
      currency: payment.currency,
      kind: 'top_up',
      amountMinor: payment.amountMinor,
      reference: `top_up:${payment.id}`,
      paymentId: payment.id,
      actor: `payment:${payment.id}`,
      reason: why,
    },
    tx,
  );
  const balanceMinor = credit.balanceMinor;
  const late = payment.status === 'pending' ? null : lateSuccessRecord(ctx, payment, req);
  const settlement = { credited: { amountMinor: payment.amountMinor, why } };
  const { payment: settled } = await ctx.repos.payments.transition(
    payment.id,
    'succeeded',
    {
      paidAt: ctx.now(),
      externalId: req.externalId ?? undefined,
      metadata: late ? { settlement, lateSuccess: late } : { settlement },
      ...(late ? { failureReason: null } : {}),
    },
    { transaction: tx, locked: true, lateSuccess: late !== null },
  );
  if (late) await recordLateSuccess(ctx, payment, late, { subscriptionId: 0, grantedDays: 0, promoOutcome: 'none' }, tx);
  const params = { paymentId: payment.id, amountMinor: payment.amountMinor, currency: payment.currency, balanceMinor };
  await enqueueNotice(
    ctx,
    { userId: payment.userId, kind: why === 'top_up' ? 'balance_topped_up' : 'balance_short', reference: payment.id, params },
    tx,
  );
  // Money in through a provider: the referrer's commission, as for any payment.
  await creditCommission(ctx, customer, payment, await ctx.settings(tx), tx);
  ctx.logger.info({ paymentId: payment.id, why, balanceMinor }, 'credited to the balance');
  return { outcome: 'credited', payment: settled, creditedMinor: payment.amountMinor, balanceMinor, why };
}
