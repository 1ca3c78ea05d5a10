import type { Subscription, SubscriptionHistory, SubscriptionPatch, Transaction, User } from '@vpn/db';
import type { BillingContext } from './context.js';
import { addDays, extensionWindow } from './domain/subscription-dates.js';
import type { PlanConversion } from './plan-change.js';
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
 * subscription?" and the extension itself are decided by one transaction at a time. Returns the
 * customer's row as locked (null when there is no such customer), so nobody reads it again.
 */
export async function lockCustomer(ctx: BillingContext, userId: number, tx: Transaction): Promise<User | null> {
  return ctx.repos.users.lockForUpdate(userId, { transaction: tx });
}

/** The customer's live subscription, else their latest one (to be brought back), locked. */
export async function lockCustomerSubscription(ctx: BillingContext, userId: number, tx: Transaction): Promise<Subscription | null> {
  return ctx.repos.subscriptions.lockCurrentForUser(userId, { transaction: tx });
}

interface Recorded {
  event: string;
  reason: ProvisionReason;
  actor: string;
  paymentId?: string | null;
  data?: Record<string, unknown>;
}

/** The history row of a change, written by the same statement as the change itself. */
function history(before: Subscription | null, req: Recorded): SubscriptionHistory {
  return {
    kind: req.event,
    fromStatus: before?.status ?? null,
    fromEndsAt: before?.endsAt ?? null,
    paymentId: req.paymentId ?? null,
    actor: req.actor,
    data: req.data ?? {},
  };
}

/** Writes `patch` to the locked `current` with its history row, and queues provisioning of the new version. */
async function write(
  ctx: BillingContext,
  current: Subscription,
  patch: SubscriptionPatch,
  req: Recorded,
  tx: Transaction,
): Promise<Subscription> {
  const subscription = await ctx.repos.subscriptions.update(current.id, patch, { transaction: tx, history: history(current, req) });
  await enqueueProvision(ctx, subscription, req.reason, tx);
  return subscription;
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
  /**
   * A purchase of another plan: called with the running subscription (locked); a conversion
   * replaces the remaining time by its `convertedDays` before `days` are added.
   */
  convert?: (running: Subscription) => Promise<PlanConversion | null>;
}

export interface ExtendResult {
  subscription: Subscription;
  previous: Subscription | null;
  conversion: PlanConversion | null;
}

/**
 * Extends the customer's subscription by `days` (invariant 4), or creates it. The caller must
 * hold {@link lockCustomer}.
 */
export async function extendSubscription(ctx: BillingContext, req: ExtendRequest, tx: Transaction): Promise<ExtendResult> {
  const now = ctx.now();
  const previous = await lockCustomerSubscription(ctx, req.userId, tx);
  const action: SubscriptionAction = previous ? 'extend' : 'activate';
  const step = subscriptionTransition(previous?.status ?? null, action, { endsAt: previous?.endsAt ?? null, now });
  if (!step.ok) throw new BillingError('ILLEGAL_TRANSITION', step.reason, { userId: req.userId });
  // Cancelled, expired and pending rows restart from now even if their end is in the future.
  const running = previous && (previous.status === 'active' || previous.status === 'suspended') ? previous : null;
  const conversion = running && req.convert ? await req.convert(running) : null;
  // A plan change: the remaining time, converted into days of the new plan, then the days bought.
  const window = conversion
    ? { startsAt: now, endsAt: addDays(now, conversion.convertedDays + req.days), restarted: false }
    : extensionWindow(running, req.days, now);
  const values: SubscriptionPatch = {
    ...req.patch,
    status: step.to,
    startsAt: window.startsAt,
    endsAt: window.endsAt,
  };
  const recorded = { ...req, data: { days: req.days, restarted: window.restarted, ...req.data, ...(conversion ? { conversion } : {}) } };
  if (previous) return { subscription: await write(ctx, previous, values, recorded, tx), previous, conversion };
  const subscription = await ctx.repos.subscriptions.create(
    { userId: req.userId, ...values },
    { transaction: tx, history: history(null, recorded) },
  );
  await enqueueProvision(ctx, subscription, req.reason, tx);
  return { subscription, previous, conversion: null };
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
export async function changeSubscription(
  ctx: BillingContext,
  current: Subscription,
  req: ChangeRequest,
  tx: Transaction,
): Promise<Subscription> {
  const now = ctx.now();
  const step = subscriptionTransition(current.status, req.action, { endsAt: current.endsAt, now });
  if (!step.ok) throw new BillingError('ILLEGAL_TRANSITION', step.reason, { subscriptionId: current.id });
  return write(ctx, current, { ...req.patch, status: step.to }, { ...req, event: req.event ?? req.action }, tx);
}

/** Changes fields of a locked subscription without a status change (a partial refund, renewal bookkeeping). */
export async function reviseSubscription(
  ctx: BillingContext,
  current: Subscription,
  req: Omit<ChangeRequest, 'action'> & { patch: Omit<SubscriptionPatch, 'status'> },
  tx: Transaction,
): Promise<Subscription> {
  return write(ctx, current, req.patch, { ...req, event: req.event ?? 'revised' }, tx);
}
