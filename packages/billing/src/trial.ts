import type { Subscription } from '@vpn/db';
import type { BillingContext } from './context.js';
import { trialVerdict } from './domain/trial-rules.js';
import { BillingError } from './errors.js';
import { enqueueNotice } from './outbox-writer.js';
import { extendSubscription } from './subscription-writer.js';

export function createTrialService(ctx: BillingContext) {
  return {
    /**
     * Starts the one free trial of `userId`: an active trial subscription of `trial.days` days and
     * `trial.trafficLimitBytes` (settings; defaults 3 days, 10 GiB), a provisioning outbox row and
     * a `trial_activated` notice, all in one transaction. Claiming `users.trial_used_at` is the
     * atomic step: of two concurrent calls exactly one wins, the other gets TRIAL_ALREADY_USED.
     * @throws BillingError `USER_NOT_FOUND` | `USER_BLOCKED` | `TRIAL_ALREADY_USED` |
     *   `TRIAL_NOT_ELIGIBLE` (the customer has or had a subscription and staff did not give the
     *   trial back, or has one running now; see `trialVerdict`) | `TRIAL_DISABLED` (`trial.enabled` false)
     */
    async startTrial(userId: number): Promise<Subscription> {
      const settings = await ctx.settings();
      if (!settings.trialEnabled) throw new BillingError('TRIAL_DISABLED', 'the free trial is switched off', { userId });
      const subscription = await ctx.transaction(async (tx) => {
        const t = { transaction: tx };
        const user = await ctx.repos.users.findById(userId, t);
        if (!user) throw new BillingError('USER_NOT_FOUND', `user ${userId} not found`, { userId });
        if (user.blocked) throw new BillingError('USER_BLOCKED', `user ${userId} is blocked`, { userId });
        // The conditional UPDATE is also the customer lock (see lockCustomer) for the rest.
        if (!(await ctx.repos.users.markTrialUsed(userId, t))) {
          throw new BillingError('TRIAL_ALREADY_USED', `user ${userId} already had a trial`, { userId });
        }
        const latest = await ctx.repos.subscriptions.getCurrentOrLatestForUser(userId, t);
        if (trialVerdict({ trialUsedAt: null, trialResetAt: user.trialResetAt }, latest, ctx.now()) !== 'ok') {
          throw new BillingError('TRIAL_NOT_ELIGIBLE', `user ${userId} already has a subscription`, { userId });
        }
        const { subscription: sub } = await extendSubscription(
          ctx,
          {
            userId,
            days: settings.trialDays,
            event: 'trial',
            reason: 'trial',
            actor: `user:${userId}`,
            patch: { isTrial: true, planId: null, trafficLimitBytes: settings.trialTrafficBytes, autoRenew: false },
          },
          tx,
        );
        await enqueueNotice(
          ctx,
          {
            userId,
            kind: 'trial_activated',
            reference: `sub:${sub.id}`,
            params: {
              subscriptionId: sub.id,
              days: settings.trialDays,
              endsAt: (sub.endsAt as Date).toISOString(),
              trafficLimitBytes: sub.trafficLimitBytes,
            },
          },
          tx,
        );
        return sub;
      });
      ctx.logger.info({ userId, subscriptionId: subscription.id, endsAt: subscription.endsAt }, 'trial started');
      return subscription;
    },
  };
}

export type TrialService = ReturnType<typeof createTrialService>;
