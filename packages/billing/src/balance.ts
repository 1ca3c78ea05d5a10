import type { BalanceApplyResult, BalanceEntryInput, Payment, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { BillingError } from './errors.js';

/**
 * The customer balance: a ledger of entries per customer and currency with a cached sum, both
 * written in the caller's transaction under the balance's row lock (`balances.apply`). Every
 * entry carries a unique reference, so whatever retries it (ten notifications at once, a worker
 * killed and re-run) writes it once; a debit below zero is refused (and the database's CHECK
 * would refuse it too).
 */

export type BalanceMove = BalanceEntryInput;

/**
 * Applies `move` in `tx`. A repeat of its reference is a no-op (`duplicate`); a debit the balance
 * cannot cover throws `INSUFFICIENT_BALANCE` unless `clamp` (then the debit is cut to what there is,
 * and nothing happens on an empty balance: a refund of a spent top-up takes what is left).
 */
export async function moveBalance(
  ctx: BillingContext,
  move: BalanceMove,
  tx: Transaction,
  options: { clamp?: boolean } = {},
): Promise<Exclude<BalanceApplyResult, { outcome: 'insufficient' }> | { outcome: 'empty'; balanceMinor: number }> {
  if (!Number.isSafeInteger(move.amountMinor) || move.amountMinor === 0)
    throw new BillingError('INVALID_INPUT', 'a balance entry moves a non-zero whole amount', { ...move });
  const t = { transaction: tx };
  const result = await ctx.repos.balances.apply(move, t);
  if (result.outcome !== 'insufficient') return result;
  if (!options.clamp || result.balanceMinor === 0) {
    if (options.clamp) return { outcome: 'empty', balanceMinor: 0 };
    throw new BillingError('INSUFFICIENT_BALANCE', `balance ${move.userId}/${move.currency} cannot cover ${-move.amountMinor}`, {
      userId: move.userId,
      currency: move.currency,
      balanceMinor: result.balanceMinor,
      amountMinor: move.amountMinor,
    });
  }
  const clamped = await ctx.repos.balances.apply({ ...move, amountMinor: -result.balanceMinor }, t);
  if (clamped.outcome === 'insufficient') throw new Error('unreachable: the balance is locked');
  return clamped;
}

/**
 * The part of a plan payment's price paid from the balance: all of it for provider `balance`,
 * `metadata.balanceMinor` for a mixed payment (the provider takes the rest), else none.
 */
export function balanceShareOf(payment: Pick<Payment, 'provider' | 'amountMinor' | 'metadata'>): number {
  if (payment.provider === 'balance') return payment.amountMinor;
  const share = payment.metadata.balanceMinor;
  return typeof share === 'number' && Number.isSafeInteger(share) && share > 0 ? share : 0;
}

/**
 * Gives back, in `tx`, what a payment did to the balance (a refund): the opposite of the net of
 * its entries (a balance-paid plan's debit comes back, a top-up's credit goes). A credit that was
 * spent meanwhile is taken back as far as the balance goes; the shortfall is an `alert.` audit row
 * for staff, since the money left with the provider's refund. Once per payment.
 */
export async function reverseBalanceOf(
  ctx: BillingContext,
  payment: Payment,
  actor: string,
  tx: Transaction,
  part?: { refundId: string; amountMinor: number },
): Promise<number> {
  // The payer's entries only: a referrer's commission on this payment is clawed back on its own.
  const entries = (await ctx.repos.balances.listByPayment(payment.id, { transaction: tx })).filter((e) => e.userId === payment.userId);
  // Partial refunds of a top-up already took their parts: the net of every entry is what is left.
  const net = entries.reduce((sum, e) => sum + Number(e.amountMinor), 0);
  if (net === 0) return 0;
  // A part of a top-up refunded at the provider leaves the balance by that part (never more than the net).
  const owed = part ? Math.sign(net) * Math.min(Math.abs(net), part.amountMinor) : net;
  const move = {
    userId: payment.userId,
    currency: payment.currency,
    kind: 'refund' as const,
    amountMinor: -owed,
    reference: part ? `refund:${payment.id}:${part.refundId}` : `refund:${payment.id}`,
    paymentId: payment.id,
    reason: 'payment_refunded',
    actor,
  };
  const done = await moveBalance(ctx, move, tx, { clamp: true });
  const moved = done.outcome === 'empty' ? 0 : Number(done.entry.amountMinor);
  if (moved !== -owed) {
    await ctx.repos.auditLog.append(
      {
        actorKind: 'system',
        action: 'alert.balance_refund_shortfall',
        entity: 'payment',
        entityId: payment.id,
        data: { userId: payment.userId, currency: payment.currency, owedMinor: owed, takenMinor: -moved },
      },
      { transaction: tx },
    );
    ctx.logger.error({ paymentId: payment.id, owedMinor: owed, takenMinor: -moved }, 'refund of a spent top-up: balance short');
  }
  return moved;
}
