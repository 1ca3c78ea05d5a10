import type { Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';

/**
 * Promo uses are held from checkout to settlement. A pending payment with a limited code,
 * younger than `promo.holdMinutes`, holds one use for its customer (one per customer, however
 * many payment methods they tried); the hold ends when the payment succeeds (the use is then
 * spent), fails, is cancelled, or lapses. Nothing is written for a hold: it is the pending
 * payment itself, counted under the code's row lock, so it is released by whatever closes the
 * payment and can never leak.
 */

/** Payments created at or after this instant still hold their promo use. */
export async function holdSince(ctx: BillingContext, tx?: Transaction): Promise<Date> {
  const { promoHoldMinutes } = await ctx.settings(tx);
  return new Date(ctx.now().getTime() - promoHoldMinutes * 60_000);
}

/** Uses of `promoId` held by customers other than `userId` right now (no lock: for quotes). */
export async function heldByOthers(ctx: BillingContext, promoId: number, userId: number, tx?: Transaction): Promise<number> {
  return ctx.repos.promoCodes.countHolders(promoId, { since: await holdSince(ctx, tx), excludingUserId: userId }, { transaction: tx });
}
