import type { Subscription, Transaction, User } from '@vpn/db';
import type { BillingContext } from './context.js';
import { isRunning } from './domain/subscription-dates.js';
import { BillingError } from './errors.js';
import { shortenSubscription } from './shorten.js';
import {
  changeSubscription,
  extendSubscription,
  lockCustomer,
  lockCustomerSubscription,
  reviseSubscription,
} from './subscription-writer.js';

/** A change to one row, as it was and as it is: what the caller's audit entry records. */
export interface Change<T> {
  before: T | null;
  after: T;
}
export type SubscriptionChange = Change<Subscription>;

/** Who acts, and a hook that writes the caller's own rows (the audit entry) in the same transaction. */
export interface StaffOptions<T> {
  /** For the subscription history: `admin:<admin id>`. */
  actor: string;
  note?: string;
  /** Runs inside the transaction after the change, before commit; throwing rolls everything back. */
  inTransaction?: (tx: Transaction, change: T) => Promise<void>;
}

const MAX_DAYS = 3650;

function checkDays(days: number): void {
  if (!Number.isSafeInteger(days) || days <= 0 || days > MAX_DAYS)
    throw new BillingError('INVALID_INPUT', `days must be 1..${MAX_DAYS}`, { days });
}

/**
 * What staff do to a customer's access (the back office calls these; each is one transaction under
 * the customer's lock, with its history row and provisioning outbox row, like every billing change).
 */
export function createStaffService(ctx: BillingContext) {
  /** Locks the customer and their current subscription, runs `fn`, then the caller's hook. */
  const onCustomer = <T>(
    userId: number,
    options: StaffOptions<T>,
    fn: (user: User, sub: Subscription | null, tx: Transaction) => Promise<T>,
  ): Promise<T> =>
    ctx.transaction(async (tx) => {
      const user = await lockCustomer(ctx, userId, tx);
      if (!user) throw new BillingError('USER_NOT_FOUND', `user ${userId} not found`, { userId });
      const out = await fn(user, await lockCustomerSubscription(ctx, userId, tx), tx);
      await options.inTransaction?.(tx, out);
      return out;
    });
  const data = (options: { note?: string }, extra: Record<string, unknown> = {}) => ({
    ...extra,
    ...(options.note ? { note: options.note } : {}),
  });
  /** The running subscription, or a refusal a human can read. */
  const running = (sub: Subscription | null, userId: number): Subscription => {
    if (!sub) throw new BillingError('SUBSCRIPTION_NOT_FOUND', `user ${userId} has no subscription`, { userId });
    if ((sub.status !== 'active' && sub.status !== 'suspended') || !isRunning(sub.endsAt, ctx.now()))
      throw new BillingError('ILLEGAL_TRANSITION', `subscription ${sub.id} is not running`, { subscriptionId: sub.id, status: sub.status });
    return sub;
  };

  return {
    /** Adds `days` to the customer's subscription (a running one from its end, else from now), or creates one. */
    extend(userId: number, days: number, options: StaffOptions<SubscriptionChange>): Promise<SubscriptionChange> {
      checkDays(days);
      return onCustomer(userId, options, async (_user, sub, tx) => {
        const { subscription } = await extendSubscription(
          ctx,
          { userId, days, event: 'grant', reason: 'grant', actor: options.actor, data: data(options) },
          tx,
        );
        return { before: sub, after: subscription };
      });
    },

    /** Takes `days` off the end of the running subscription (never before now; nothing left → cancelled). */
    shorten(userId: number, days: number, options: StaffOptions<SubscriptionChange>): Promise<SubscriptionChange> {
      checkDays(days);
      return onCustomer(userId, options, async (_user, sub, tx) => {
        const current = running(sub, userId);
        const after = await shortenSubscription(
          ctx,
          current,
          { days, event: 'shorten', reason: 'shorten', actor: options.actor, data: data(options) },
          tx,
        );
        return { before: current, after };
      });
    },

    /**
     * Puts the customer on `planId` (its traffic and device limits) and adds `days`: a gift or a
     * compensation. The plan may be archived (staff keep old customers on it); no payment is made.
     */
    grantPlan(userId: number, planId: number, days: number, options: StaffOptions<SubscriptionChange>): Promise<SubscriptionChange> {
      checkDays(days);
      return onCustomer(userId, options, async (_user, sub, tx) => {
        const plan = await ctx.repos.plans.get(planId, { transaction: tx });
        if (!plan) throw new BillingError('PLAN_NOT_FOUND', `plan ${planId} not found`, { planId });
        const patch = { planId: plan.id, isTrial: false, trafficLimitBytes: plan.trafficLimitBytes, deviceLimit: plan.deviceLimit };
        const { subscription } = await extendSubscription(
          ctx,
          {
            userId,
            days,
            event: 'grant_plan',
            reason: 'grant',
            actor: options.actor,
            patch,
            data: data(options, { planId, planCode: plan.code }),
          },
          tx,
        );
        return { before: sub, after: subscription };
      });
    },

    /**
     * Moves the live subscription to another server: the provisioning of the new version makes
     * the account there and retires the old one (`@vpn/vpn`), and the customer gets the new link.
     * The caller checks the server can take it.
     */
    moveToServer(userId: number, serverId: number, options: StaffOptions<SubscriptionChange>): Promise<SubscriptionChange> {
      return onCustomer(userId, options, async (_user, sub, tx) => {
        const current = running(sub, userId);
        if (current.serverId === serverId)
          throw new BillingError('INVALID_INPUT', `subscription ${current.id} is already on server ${serverId}`, { serverId });
        const after = await reviseSubscription(
          ctx,
          current,
          {
            event: 'move',
            reason: 'move',
            actor: options.actor,
            patch: { serverId },
            data: data(options, { from: current.serverId, to: serverId }),
          },
          tx,
        );
        return { before: current, after };
      });
    },

    /** Suspends the active subscription (VPN off, days kept); null when there is none to suspend. */
    suspend(userId: number, options: StaffOptions<SubscriptionChange | null>): Promise<SubscriptionChange | null> {
      return onCustomer(userId, options, async (_user, sub, tx) => {
        if (!sub || sub.status !== 'active') return null;
        const after = await changeSubscription(
          ctx,
          sub,
          { action: 'suspend', reason: 'suspend', actor: options.actor, data: data(options) },
          tx,
        );
        return { before: sub, after };
      });
    },

    /** Resumes a suspended subscription (→ active, or expired if it ended meanwhile); null when none is suspended. */
    resume(userId: number, options: StaffOptions<SubscriptionChange | null>): Promise<SubscriptionChange | null> {
      return onCustomer(userId, options, async (_user, sub, tx) => {
        if (!sub || sub.status !== 'suspended') return null;
        const after = await changeSubscription(
          ctx,
          sub,
          { action: 'resume', reason: 'resume', actor: options.actor, data: data(options) },
          tx,
        );
        return { before: sub, after };
      });
    },

    /**
     * Gives the customer the free trial once more (see `trialVerdict`): `trial_used_at` cleared,
     * `trial_reset_at` set. Refused while a subscription is running (it could not start anyway).
     */
    resetTrial(userId: number, options: StaffOptions<Change<User>>): Promise<Change<User>> {
      return onCustomer(userId, options, async (user, sub, tx) => {
        if (
          sub &&
          (sub.status === 'pending' || sub.status === 'suspended' || (sub.status === 'active' && isRunning(sub.endsAt, ctx.now())))
        )
          throw new BillingError('ILLEGAL_TRANSITION', `user ${userId} has a subscription running; the trial could not start`, { userId });
        const after = await ctx.repos.users.resetTrial(userId, { transaction: tx });
        if (!after) throw new BillingError('USER_NOT_FOUND', `user ${userId} not found`, { userId });
        return { before: user, after };
      });
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
