import { isRunning } from './subscription-dates.js';

export type TrialVerdict = 'ok' | 'used' | 'has_subscription';

/**
 * Who may start the free trial: a customer who has not used it, and either never had a
 * subscription, or was given the trial back by staff (`trialResetAt`) and has nothing running
 * now (a trial never stacks on live access). The client bot offers the trial by the same rule.
 */
export function trialVerdict(
  user: { trialUsedAt: Date | null; trialResetAt: Date | null },
  latest: { status: string; endsAt: Date | null } | null,
  now: Date,
): TrialVerdict {
  if (user.trialUsedAt) return 'used';
  if (!latest) return 'ok';
  const live =
    latest.status === 'pending' || latest.status === 'suspended' || (latest.status === 'active' && isRunning(latest.endsAt, now));
  return user.trialResetAt && !live ? 'ok' : 'has_subscription';
}
