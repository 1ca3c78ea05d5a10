import { describe, expect, it } from 'vitest';
import {
  SUBSCRIPTION_ACTIONS,
  SUBSCRIPTION_STATUSES,
  grantsAccess,
  subscriptionTransition,
  type SubscriptionAction,
  type SubscriptionStatus,
} from './subscription-machine.js';

const now = new Date('2026-03-10T12:00:00Z');
const future = new Date('2026-04-01T00:00:00Z');
const past = new Date('2026-03-01T00:00:00Z');

// The complete table of allowed moves for a running subscription (end in the future).
const allowed: Record<SubscriptionStatus, Partial<Record<SubscriptionAction, SubscriptionStatus>>> = {
  pending: { activate: 'active', extend: 'active', cancel: 'cancelled' },
  active: { extend: 'active', suspend: 'suspended', cancel: 'cancelled' },
  expired: { extend: 'active', cancel: 'cancelled' },
  suspended: { extend: 'suspended', resume: 'active', cancel: 'cancelled' },
  cancelled: { extend: 'active' },
};

describe('subscriptionTransition', () => {
  for (const from of SUBSCRIPTION_STATUSES) {
    for (const action of SUBSCRIPTION_ACTIONS) {
      const expected = allowed[from][action];
      it(`${from} --${action}--> ${expected ?? 'refused'}`, () => {
        const r = subscriptionTransition(from, action, { endsAt: future, now });
        if (expected) expect(r).toEqual({ ok: true, to: expected });
        else expect(r.ok).toBe(false);
      });
    }
  }

  it('only activate works on a subscription that does not exist', () => {
    for (const action of SUBSCRIPTION_ACTIONS) {
      const r = subscriptionTransition(null, action, { endsAt: null, now });
      expect(r.ok).toBe(action === 'activate');
    }
  });

  it('expire needs the end to have passed', () => {
    expect(subscriptionTransition('active', 'expire', { endsAt: past, now })).toEqual({ ok: true, to: 'expired' });
    expect(subscriptionTransition('active', 'expire', { endsAt: now, now })).toEqual({ ok: true, to: 'expired' });
    const early = subscriptionTransition('active', 'expire', { endsAt: future, now });
    expect(early).toMatchObject({ ok: false, reason: expect.stringContaining('has not passed') as string });
  });

  it('resume lands on expired when the end passed while suspended', () => {
    expect(subscriptionTransition('suspended', 'resume', { endsAt: past, now })).toEqual({ ok: true, to: 'expired' });
  });
});

describe('grantsAccess', () => {
  it('is true only for an active subscription that has not ended', () => {
    expect(grantsAccess('active', future, now)).toBe(true);
    expect(grantsAccess('active', past, now)).toBe(false);
    expect(grantsAccess('suspended', future, now)).toBe(false);
    expect(grantsAccess('cancelled', future, now)).toBe(false);
  });
});
