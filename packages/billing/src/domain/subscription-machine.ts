import { isRunning } from './subscription-dates.js';

/** `pending`: a row that exists but has not started (no access yet); the others as named. */
export type SubscriptionStatus = 'pending' | 'active' | 'expired' | 'suspended' | 'cancelled';

export type SubscriptionAction = 'activate' | 'extend' | 'expire' | 'suspend' | 'resume' | 'cancel';

export const SUBSCRIPTION_ACTIONS: readonly SubscriptionAction[] = ['activate', 'extend', 'expire', 'suspend', 'resume', 'cancel'];
export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['pending', 'active', 'expired', 'suspended', 'cancelled'];

export type TransitionResult = { ok: true; to: SubscriptionStatus } | { ok: false; reason: string };

/**
 * The subscription state machine. `from` is null for a subscription that does not exist yet.
 *
 * - activate: (none) | pending → active. A customer has one subscription row; later purchases
 *   extend it.
 * - extend: pending | active | expired | cancelled → active (a new purchase brings a cancelled row back);
 *   suspended stays suspended (staff suspended it; paying does not lift a suspension, the days
 *   are kept for when it is resumed).
 * - expire: active → expired, and only once its end has passed (the sweep never cuts time short).
 * - suspend: active → suspended (staff action, e.g. abuse).
 * - resume: suspended → active, or → expired if its end passed while suspended.
 * - cancel: pending | active | suspended | expired → cancelled (refund or staff action); final until a
 *   new purchase.
 */
export function subscriptionTransition(
  from: SubscriptionStatus | null,
  action: SubscriptionAction,
  ctx: { endsAt: Date | null; now: Date },
): TransitionResult {
  const refuse = (why: string): TransitionResult => ({ ok: false, reason: `${action} from ${from ?? 'none'}: ${why}` });
  if (from === null) return action === 'activate' ? { ok: true, to: 'active' } : refuse('no subscription');
  switch (action) {
    case 'activate':
      return from === 'pending' ? { ok: true, to: 'active' } : refuse('already started; extend it instead');
    case 'extend':
      return { ok: true, to: from === 'suspended' ? 'suspended' : 'active' };
    case 'expire':
      if (from !== 'active') return refuse('only an active subscription expires');
      return isRunning(ctx.endsAt, ctx.now) ? refuse('its end has not passed') : { ok: true, to: 'expired' };
    case 'suspend':
      return from === 'active' ? { ok: true, to: 'suspended' } : refuse('only an active subscription is suspended');
    case 'resume':
      if (from !== 'suspended') return refuse('only a suspended subscription is resumed');
      return { ok: true, to: isRunning(ctx.endsAt, ctx.now) ? 'active' : 'expired' };
    case 'cancel':
      return from === 'cancelled' ? refuse('already cancelled') : { ok: true, to: 'cancelled' };
  }
}

/** Whether a subscription in `status` ending at `endsAt` gives VPN access at `now`. */
export function grantsAccess(status: SubscriptionStatus, endsAt: Date | null, now: Date): boolean {
  return status === 'active' && isRunning(endsAt, now);
}

/**
 * A payment for a customer who already has this subscription keeps their key: the account on the
 * panel is the same one (extended, re-enabled after an expiry), and the config is sent once per
 * subscription, so no new link comes. A `pending` one was never set up: its link is still to come.
 */
export function paymentKeepsKey(existing: { status: SubscriptionStatus } | null): boolean {
  return existing !== null && existing.status !== 'pending';
}
