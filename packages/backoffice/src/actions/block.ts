import type { SubscriptionChange } from '@vpn/billing';
import type { Transaction, User } from '@vpn/db';
import { actorTag, type Actor } from '../actor.js';
import { audit, customerSnapshot, subscriptionSnapshot } from '../audit.js';
import { viaBilling, type BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

export interface BlockResult {
  /** false: the customer already was in that state; nothing written. */
  changed: boolean;
  customer: User;
  /** The subscription suspended (block) or resumed (unblock), if there was one. */
  subscription: SubscriptionChange | null;
}

async function setBlocked(
  ctx: BackofficeContext,
  actor: Actor,
  input: { userId: number; reason?: string | null },
  blocked: boolean,
): Promise<BlockResult> {
  authorize(actor, 'customers:block');
  const userId = v.id('userId', input.userId);
  // A block must say why (the card shows it); an unblock may.
  const reason = v.reason(input.reason, blocked);
  const current = await ctx.db.repos.users.findById(userId);
  if (!current) throw new BackofficeError('NOT_FOUND', `user ${userId} not found`, 'userId');
  if (current.blocked === blocked) return { changed: false, customer: current, subscription: null };
  let customer = current;
  const hook = async (tx: Transaction, change: SubscriptionChange | null) => {
    const before = await ctx.db.repos.users.findById(userId, { transaction: tx });
    const after = await ctx.db.repos.users.setBlocked(userId, blocked, reason, { transaction: tx });
    if (!before || !after) throw new BackofficeError('NOT_FOUND', `user ${userId} not found`, 'userId');
    customer = after;
    await audit(ctx.db.repos, tx, actor, {
      action: blocked ? 'customer.block' : 'customer.unblock',
      entity: 'user',
      entityId: userId,
      before: { customer: customerSnapshot(before), subscription: subscriptionSnapshot(change?.before ?? null) },
      after: { customer: customerSnapshot(after), subscription: subscriptionSnapshot(change?.after ?? null) },
      reason,
    });
  };
  const options = { actor: actorTag(actor), note: reason ?? undefined, inTransaction: hook };
  const subscription = await viaBilling(() =>
    blocked ? ctx.billing.staff.suspend(userId, options) : ctx.billing.staff.resume(userId, options),
  );
  return { changed: true, customer, subscription };
}

/**
 * Block a customer with a reason (`customers:block`): the client bot stops serving them, new
 * checkouts are refused, and their active subscription is suspended (VPN off, days kept). One
 * transaction with the audit entry.
 */
export function block(ctx: BackofficeContext, actor: Actor, input: { userId: number; reason: string }): Promise<BlockResult> {
  return setBlocked(ctx, actor, input, true);
}

/** Unblock (`customers:block`): the bot serves them again and a suspended subscription resumes (or expires if it ended meanwhile). */
export function unblock(ctx: BackofficeContext, actor: Actor, input: { userId: number; reason?: string | null }): Promise<BlockResult> {
  return setBlocked(ctx, actor, input, false);
}
