import type { Subscription, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { shortenedEnd } from './domain/subscription-dates.js';
import type { ProvisionReason } from './outbox-messages.js';
import { changeSubscription, reviseSubscription } from './subscription-writer.js';

export interface ShortenRequest {
  days: number;
  /** Event kind recorded (`refund`, `shorten`). */
  event: string;
  reason: ProvisionReason;
  actor: string;
  paymentId?: string | null;
  data?: Record<string, unknown>;
  /** Leave auto-renew as it is (a cut the customer did not ask for, e.g. a friend's refund). */
  keepAutoRenew?: boolean;
}

/**
 * Takes `days` off the end of a locked, running subscription, never ending it before now (time
 * already used is not clawed back). If nothing is left it is cancelled with its end set to now.
 * Auto-renew goes off either way (unless `keepAutoRenew`): a refund or a staff cut is no reason to
 * charge again. Shared by refunds (the days a payment granted), revoked referral bonuses and the
 * staff "shorten by N days".
 */
export async function shortenSubscription(
  ctx: BillingContext,
  sub: Subscription,
  req: ShortenRequest,
  tx: Transaction,
): Promise<Subscription> {
  const now = ctx.now();
  const cut = shortenedEnd(sub.endsAt as Date, req.days, now);
  const recorded = {
    event: req.event,
    reason: req.reason,
    actor: req.actor,
    paymentId: req.paymentId ?? null,
    data: { days: req.days, ...req.data },
  };
  const renew = req.keepAutoRenew ? {} : { autoRenew: false };
  if (cut.ended) return changeSubscription(ctx, sub, { ...recorded, action: 'cancel', patch: { endsAt: now, ...renew } }, tx);
  return reviseSubscription(ctx, sub, { ...recorded, patch: { endsAt: cut.endsAt, ...renew } }, tx);
}
