import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RENEWAL_SETTINGS,
  afterRenewalFailure,
  decideRenewal,
  sanitizeRenewalSettings,
  type RenewalState,
} from './renewal-policy.js';

const now = new Date('2026-03-10T12:00:00Z');
const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
const due: RenewalState = {
  status: 'active',
  autoRenew: true,
  isTrial: false,
  endsAt: h(6),
  renewalFailures: 0,
  nextAttemptAt: null,
  hasSavedMethod: true,
  hasPendingRenewal: false,
};

describe('decideRenewal', () => {
  it('charges on the day the subscription ends (first attempt)', () => {
    expect(decideRenewal(due, now)).toEqual({ action: 'charge', attempt: 1 });
    expect(decideRenewal({ ...due, endsAt: h(24) }, now)).toEqual({ action: 'charge', attempt: 1 });
  });

  it('is not due more than a day before the end', () => {
    expect(decideRenewal({ ...due, endsAt: h(25) }, now)).toEqual({ action: 'skip', reason: 'not_due' });
  });

  it('retries 24 hours after a failure, not earlier', () => {
    const failed = { ...due, status: 'expired' as const, endsAt: h(-20), renewalFailures: 1, nextAttemptAt: h(1) };
    expect(decideRenewal(failed, now)).toEqual({ action: 'skip', reason: 'retry_later' });
    expect(decideRenewal({ ...failed, nextAttemptAt: now }, now)).toEqual({ action: 'charge', attempt: 2 });
  });

  it('stops after two failures', () => {
    expect(decideRenewal({ ...due, renewalFailures: 2, nextAttemptAt: null }, now)).toEqual({ action: 'skip', reason: 'auto_renew_off' });
  });

  it.each([
    ['auto_renew_off', { autoRenew: false }],
    ['not_renewable', { isTrial: true }],
    ['not_renewable', { status: 'cancelled' as const }],
    ['not_renewable', { status: 'suspended' as const }],
    ['no_saved_method', { hasSavedMethod: false }],
    ['in_flight', { hasPendingRenewal: true }],
    ['too_late', { status: 'expired' as const, endsAt: h(-73) }],
  ])('skips: %s', (reason, patch) => {
    expect(decideRenewal({ ...due, ...patch }, now)).toEqual({ action: 'skip', reason });
  });
});

describe('afterRenewalFailure', () => {
  it('schedules a retry after the first failure', () => {
    expect(afterRenewalFailure(0, now)).toEqual({ renewalFailures: 1, disable: false, nextAttemptAt: h(24) });
  });

  it('disables auto-renew at the second failure', () => {
    expect(afterRenewalFailure(1, now)).toEqual({ renewalFailures: 2, disable: true, nextAttemptAt: null });
  });

  it('follows the settings', () => {
    const s = { ...DEFAULT_RENEWAL_SETTINGS, maxFailures: 3, retryAfterHours: 6 };
    expect(afterRenewalFailure(1, now, s)).toEqual({ renewalFailures: 2, disable: false, nextAttemptAt: h(6) });
  });
});

describe('sanitizeRenewalSettings', () => {
  it('replaces nonsense with defaults', () => {
    expect(sanitizeRenewalSettings({ retryAfterHours: 0, maxFailures: -1, leadHours: 1.5 })).toEqual(DEFAULT_RENEWAL_SETTINGS);
    expect(sanitizeRenewalSettings({ retryAfterHours: 12 }).retryAfterHours).toBe(12);
  });
});
