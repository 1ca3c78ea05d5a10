import type { SubscriptionStatus } from './subscription-machine.js';

/**
 * Auto-renew policy (seed: "attempt the charge on the day it ends; on failure retry after 24
 * hours; after two failures turn auto-renew off; tell the customer at every step").
 */
export interface RenewalSettings {
  /** Hours between a failed attempt and the next one. */
  retryAfterHours: number;
  /** Failures after which auto-renew is switched off. */
  maxFailures: number;
  /** How long before the end the first attempt may run ("on the day it ends"). */
  leadHours: number;
  /** Past this long after the end, no more attempts: the customer renews by hand. */
  graceHours: number;
}

export const DEFAULT_RENEWAL_SETTINGS: RenewalSettings = { retryAfterHours: 24, maxFailures: 2, leadHours: 24, graceHours: 72 };

export interface RenewalState {
  status: SubscriptionStatus;
  autoRenew: boolean;
  isTrial: boolean;
  endsAt: Date;
  renewalFailures: number;
  /** Set after a failure: no attempt before it. */
  nextAttemptAt: Date | null;
  hasSavedMethod: boolean;
  /** A renewal payment already waiting for the provider: never charge twice. */
  hasPendingRenewal: boolean;
}

export type RenewalSkip = 'auto_renew_off' | 'not_renewable' | 'no_saved_method' | 'not_due' | 'retry_later' | 'too_late' | 'in_flight';

export type RenewalDecision = { action: 'charge'; attempt: number } | { action: 'skip'; reason: RenewalSkip };

/** Whether to charge the saved method of this subscription now. */
export function decideRenewal(state: RenewalState, now: Date, settings: RenewalSettings = DEFAULT_RENEWAL_SETTINGS): RenewalDecision {
  const skip = (reason: RenewalSkip): RenewalDecision => ({ action: 'skip', reason });
  if (!state.autoRenew || state.renewalFailures >= settings.maxFailures) return skip('auto_renew_off');
  if (state.isTrial || (state.status !== 'active' && state.status !== 'expired')) return skip('not_renewable');
  if (!state.hasSavedMethod) return skip('no_saved_method');
  if (state.hasPendingRenewal) return skip('in_flight');
  const t = now.getTime();
  const end = state.endsAt.getTime();
  if (t < end - settings.leadHours * 3_600_000) return skip('not_due');
  if (t > end + settings.graceHours * 3_600_000) return skip('too_late');
  if (state.nextAttemptAt && t < state.nextAttemptAt.getTime()) return skip('retry_later');
  return { action: 'charge', attempt: state.renewalFailures + 1 };
}

export interface FailureOutcome {
  renewalFailures: number;
  /** True when this failure switches auto-renew off. */
  disable: boolean;
  /** When the next attempt may run; null when disabled. */
  nextAttemptAt: Date | null;
}

/** What a failed renewal attempt does to the subscription. */
export function afterRenewalFailure(
  previousFailures: number,
  now: Date,
  settings: RenewalSettings = DEFAULT_RENEWAL_SETTINGS,
): FailureOutcome {
  const renewalFailures = previousFailures + 1;
  const disable = renewalFailures >= settings.maxFailures;
  return {
    renewalFailures,
    disable,
    nextAttemptAt: disable ? null : new Date(now.getTime() + settings.retryAfterHours * 3_600_000),
  };
}

/**
 * After the provider itself refused a charge (our key, the shop's permissions): nothing is counted
 * against the customer, and the charge is tried again this long after, so it goes through
 * within the hour once an operator has fixed the configuration.
 */
export const PROVIDER_RETRY_MINUTES = 60;

/** When a charge the provider refused on its own side is tried again. */
export function afterProviderFailure(now: Date): Date {
  return new Date(now.getTime() + PROVIDER_RETRY_MINUTES * 60_000);
}

/** The earliest `endsAt` a subscription may have and still be looked at by the renewal sweep. */
export function renewalWindowStart(now: Date, settings: RenewalSettings = DEFAULT_RENEWAL_SETTINGS): Date {
  return new Date(now.getTime() - settings.graceHours * 3_600_000);
}

/** The latest `endsAt` the renewal sweep looks at ("ends today"). */
export function renewalWindowEnd(now: Date, settings: RenewalSettings = DEFAULT_RENEWAL_SETTINGS): Date {
  return new Date(now.getTime() + settings.leadHours * 3_600_000);
}

/** A guard against silly settings read from the database. */
export function sanitizeRenewalSettings(s: Partial<RenewalSettings>): RenewalSettings {
  const pick = (v: number | undefined, d: number, min: number) => (Number.isInteger(v) && (v as number) >= min ? (v as number) : d);
  return {
    retryAfterHours: pick(s.retryAfterHours, DEFAULT_RENEWAL_SETTINGS.retryAfterHours, 1),
    maxFailures: pick(s.maxFailures, DEFAULT_RENEWAL_SETTINGS.maxFailures, 1),
    leadHours: pick(s.leadHours, DEFAULT_RENEWAL_SETTINGS.leadHours, 0),
    graceHours: pick(s.graceHours, DEFAULT_RENEWAL_SETTINGS.graceHours, 0),
  };
}
