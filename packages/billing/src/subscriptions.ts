import type { Subscription, SubscriptionPatch, Transaction } from '@vpn/db';
import type { BillingContext } from './context.js';
import { isRunning } from './domain/subscription-dates.js';
import type { SubscriptionAction } from './domain/subscription-machine.js';
import { BillingError } from './errors.js';
import type { ProvisionReason } from './outbox-messages.js';
import { changeSubscription, extendSubscription, lockCustomer, reviseSubscription } from './subscription-writer.js';

/** Who asked, for the subscription history (`admin:<telegram id>`, `user:<id>`, `system`...). */
export interface ActorOptions {
  actor?: string;
  note?: string;
}

export function createSubscriptionsService(ctx: BillingContext) {
  /** Runs `fn` on subscription `id` locked (customer first, then the row). */
  const withLocked = <T>(id: number, fn: (sub: Subscription, tx: Transaction) => Promise<T>): Promise<T> =>
    ctx.transaction(async (tx) => {
      const found = await ctx.repos.subscriptions.get(id, { transaction: tx });
      if (!found) throw new BillingError('SUBSCRIPTION_NOT_FOUND', `subscription ${id} not found`, { subscriptionId: id });
      await lockCustomer(ctx, found.userId, tx);
      return fn((await ctx.repos.subscriptions.lockForUpdate(id, { transaction: tx })) as Subscription, tx);
    });

  const act =
    (action: SubscriptionAction, reason: ProvisionReason, patch?: (sub: Subscription, now: Date) => SubscriptionPatch) =>
    (subscriptionId: number, options: ActorOptions = {}): Promise<Subscription> =>
      withLocked(subscriptionId, (sub, tx) =>
        changeSubscription(
          ctx,
          sub,
          {
            action,
            reason,
            actor: options.actor ?? 'system',
            patch: patch?.(sub, ctx.now()),
            data: options.note ? { note: options.note } : {},
          },
          tx,
        ),
      );

  return {
    /** The customer's live subscription, else their latest one, else null. */
    async getCurrent(userId: number): Promise<Subscription | null> {
      return ctx.repos.subscriptions.getCurrentOrLatestForUser(userId);
    },

    /** `active → expired` once the end has passed. @throws BillingError `ILLEGAL_TRANSITION` | `SUBSCRIPTION_NOT_FOUND` */
    expire: act('expire', 'expire'),
    /** `active → suspended` (staff). */
    suspend: act('suspend', 'suspend'),
    /** `suspended → active`, or `→ expired` if it ended meanwhile. */
    resume: act('resume', 'resume'),
    /** `→ cancelled`: access ends now (the end is pulled in), auto-renew off. */
    cancel: act('cancel', 'cancel', (sub, now) => ({ autoRenew: false, ...(isRunning(sub.endsAt, now) ? { endsAt: now } : {}) })),

    /**
     * The expiry sweep: every `active` subscription whose end has passed becomes `expired`, each in
     * its own transaction with a provisioning row (the panel disables the account). Returns how
     * many were expired; safe to run on several workers at once.
     */
    async expireDue(now: Date = ctx.now(), limit = 500): Promise<number> {
      const due = await ctx.repos.subscriptions.listExpiredButActive(now, limit);
      let expired = 0;
      for (const candidate of due) {
        const done = await withLocked(candidate.id, async (sub, tx) => {
          // Re-checked under the lock: a payment may have extended it since the list was read.
          if (sub.status !== 'active' || isRunning(sub.endsAt, ctx.now())) return false;
          await changeSubscription(ctx, sub, { action: 'expire', reason: 'expire', actor: 'expiry-sweep' }, tx);
          return true;
        });
        if (done) expired++;
      }
      if (expired > 0) ctx.logger.info({ expired }, 'subscriptions expired');
      return expired;
    },

    /** Gives `days` free days (staff gift, compensation): extends or creates, like a purchase. */
    async grantDays(userId: number, days: number, options: ActorOptions = {}): Promise<Subscription> {
      if (!Number.isSafeInteger(days) || days <= 0 || days > 3650)
        throw new BillingError('INVALID_INPUT', 'days must be 1..3650', { days });
      return ctx.transaction(async (tx) => {
        await lockCustomer(ctx, userId, tx);
        const data = options.note ? { note: options.note } : {};
        const { subscription } = await extendSubscription(
          ctx,
          { userId, days, event: 'grant', reason: 'grant', actor: options.actor ?? 'system', data },
          tx,
        );
        return subscription;
      });
    },

    /**
     * The customer's auto-renew switch. Turning it on needs a saved payment method
     * (`NO_SAVED_METHOD`) and clears past failures, so the next due day gets fresh attempts.
     */
    async setAutoRenew(subscriptionId: number, on: boolean, options: ActorOptions = {}): Promise<Subscription> {
      return withLocked(subscriptionId, async (sub, tx) => {
        if (sub.autoRenew === on) return sub;
        if (on && !sub.savedPaymentMethodId)
          throw new BillingError('NO_SAVED_METHOD', `subscription ${sub.id} has no saved payment method`, { subscriptionId });
        const patch: SubscriptionPatch = on ? { autoRenew: true, renewalFailures: 0, nextRenewalAttemptAt: null } : { autoRenew: false };
        return reviseSubscription(
          ctx,
          sub,
          { event: on ? 'auto_renew_on' : 'auto_renew_off', reason: 'renewal', actor: options.actor ?? 'system', patch },
          tx,
        );
      });
    },
  };
}

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;
