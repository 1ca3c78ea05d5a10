import type { Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';

/**
 * Promo uses are held from checkout to settlement. A pending payment with a code, younger than
 * `promo.holdMinutes`, holds one use for its checkout (one per checkout, however many payment
 * methods were tried in it: `metadata.checkout`); the hold ends when the payment succeeds (the
 * use is then spent), fails, is cancelled, or lapses. A customer's own open checkouts count
 * against their own limit and the code's total like anyone's: five checkouts hold five uses. Nothing is written for a hold: it is the pending
 * payment itself, counted under the code's row lock, so it is released by whatever closes the
 * payment and can never leak.
 */

/** Payments created at or after this instant still hold their promo use. */
export async function holdSince(ctx: BillingContext, tx?: Transaction): Promise<Date> {
  const { promoHoldMinutes } = await ctx.settings(tx);
  return new Date(ctx.now().getTime() - promoHoldMinutes * 60_000);
}

/** The checkout a payment belongs to and its id, left out of the holds it is checked against. */
export interface CheckoutRef {
  paymentId?: string | null;
  checkout?: string | null;
}

/** Live holds of `promoId` (all, and `userId`'s own), except the checkout `current`. */
export async function holdsOf(
  ctx: BillingContext,
  promoId: number,
  userId: number,
  current: CheckoutRef,
  tx?: Transaction,
): Promise<{ total: number; own: number }> {
  const since = await holdSince(ctx, tx);
  return ctx.repos.promoCodes.countHolds(promoId, { since, userId, excluding: current }, { transaction: tx });
}
