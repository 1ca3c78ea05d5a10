import type { Subscription, SubscriptionPatch, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { extensionWindow } from './domain/subscription-dates.js';
import { subscriptionTransition, type SubscriptionAction } from './domain/subscription-machine.js';
import { BillingError } from './errors.js';
import type { ProvisionReason } from './outbox-messages.js';
import { enqueueProvision } from './outbox-writer.js';

/**
 * The only code that writes subscriptions. Each change, in the caller's transaction: lock, apply
 * the state machine, bump the version (the repository does), append a subscription event, add a
 * provisioning outbox row for the new version.
 */

/**
 * Serialises everything billing does for one customer: trial, settlement, renewal and refund
 * take this lock first (after the payment's), so "is this the first payment?", "is there a live
 * subscription?" and the extension itself are decided by one transaction at a time.
 * `touchActivity` is an UPDATE of the user row, i.e. a row lock held until commit.
 * TODO(db): a `users.lockForUpdate(id, { transaction })` would say this without the side effect.
 */
export async function lockCustomer(ctx: BillingContext, userId: number, tx: Transaction): Promise<void> {
  await ctx.repos.users.touchActivity(userId, { transaction: tx });
}

/** The customer's live subscription, else their latest one (to be brought back), locked. */
export async function lockCustomerSubscription(ctx: BillingContext, userId: number, tx: Transaction): Promise<Subscription | null> {
  const t = { transaction: tx };
  const found = (await ctx.repos.subscriptions.getCurrentForUser(userId, t)) ?? (await ctx.repos.subscriptions.getLatestForUser(userId, t));
  return found ? ctx.repos.subscriptions.lockForUpdate(found.id, t) : null;
}

interface Recorded {
  event: string;
  reason: ProvisionReason;
  actor: string;
  paymentId?: string | null;
  data?: Record<string, unknown>;
}

/** The history row and the provisioning row every subscription change writes. */
async function recordChange(ctx: BillingContext, before: Subscription | null, after: Subscription, req: Recorded, tx: Transaction): Promise<void> {
  await ctx.repos.subscriptionEvents.append(
    {
      subscriptionId: after.id,
      kind: req.event,
      fromStatus: before?.status ?? null,
      toStatus: after.status,
      fromEndsAt: before?.endsAt ?? null,
      toEndsAt: after.endsAt,
      paymentId: req.paymentId ?? null,
      actor: req.actor,
      data: req.data ?? {},
    },
    { transaction: tx },
  );
  await enqueueProvision(ctx, after, req.reason, tx);
}

export interface ExtendRequest {
  userId: number;
  days: number;
  /** Event kind recorded (`purchase`, `renewal`, `referral_bonus`, `grant`, `trial`). */
  event: string;
  reason: ProvisionReason;
  actor: string;
  paymentId?: string | null;
  /** Extra fields written with the extension (plan, limits, saved method, trial flag...). */
  patch?: SubscriptionPatch;
  data?: Record<string, unknown>;
}

export interface ExtendResult {
  subscription: Subscription;
  previous: Subscription | null;
}

/**
 * Extends the customer's subscription by `days` (invariant 4), or creates it. The caller must
 * hold {@link lockCustomer}.
 */
export async function extendSubscription(ctx: BillingContext, req: ExtendRequest, tx: Transaction): Promise<ExtendResult> {
  const now = ctx.now();
  const t = { transaction: tx };
  const previous = await lockCustomerSubscription(ctx, req.userId, tx);
  const action: SubscriptionAction = previous ? 'extend' : 'activate';
  const step = subscriptionTransition(previous?.status ?? null, action, { endsAt: previous?.endsAt ?? null, now });
  if (!step.ok) throw new BillingError('ILLEGAL_TRANSITION', step.reason, { userId: req.userId });
  // Cancelled, expired and pending rows restart from now even if their end is in the future.
  const running = previous && (previous.status === 'active' || previous.status === 'suspended') ? previous : null;
  const window = extensionWindow(running, req.days, now);
  const values: SubscriptionPatch = {
    ...req.patch,
    status: step.to,
    startsAt: window.startsAt,
    endsAt: window.endsAt,
  };
  const subscription = previous
    ? await ctx.repos.subscriptions.update(previous.id, values, t)
    : await ctx.repos.subscriptions.create({ userId: req.userId, ...values }, t);
  await recordChange(ctx, previous, subscription, { ...req, data: { days: req.days, restarted: window.restarted, ...req.data } }, tx);
  return { subscription, previous };
}

export interface ChangeRequest {
  action: SubscriptionAction;
  event?: string;
  reason: ProvisionReason;
  actor: string;
  paymentId?: string | null;
  patch?: SubscriptionPatch;
  data?: Record<string, unknown>;
}

/** Applies a state-machine action (expire, suspend, resume, cancel) to a locked subscription. */
export async function changeSubscription(ctx: BillingContext, current: Subscription, req: ChangeRequest, tx: Transaction): Promise<Subscription> {
  const now = ctx.now();
  const step = subscriptionTransition(current.status, req.action, { endsAt: current.endsAt, now });
  if (!step.ok) throw new BillingError('ILLEGAL_TRANSITION', step.reason, { subscriptionId: current.id });
  const subscription = await ctx.repos.subscriptions.update(current.id, { ...req.patch, status: step.to }, { transaction: tx });
  await recordChange(ctx, current, subscription, { ...req, event: req.event ?? req.action }, tx);
  return subscription;
}

/** Changes fields of a locked subscription without a status change (a partial refund, renewal bookkeeping). */
export async function reviseSubscription(
  ctx: BillingContext,
  current: Subscription,
  req: Omit<ChangeRequest, 'action'> & { patch: Omit<SubscriptionPatch, 'status'> },
  tx: Transaction,
): Promise<Subscription> {
  const subscription = await ctx.repos.subscriptions.update(current.id, req.patch, { transaction: tx });
  await recordChange(ctx, current, subscription, { ...req, event: req.event ?? 'revised' }, tx);
  return subscription;
}
