import { describe, expect, it } from 'vitest';
import { desiredSpec, panelUserKey, subscriptionIdFromKey } from './desired-state.js';

const now = new Date('2030-01-01T00:00:00Z');
const sub = { id: 42, status: 'active' as const, endsAt: new Date('2030-02-01T00:00:00Z'), trafficLimitBytes: null, deviceLimit: null };

describe('desired state', () => {
  it('derives a stable, panel-safe key and reads it back only for our prefix', () => {
    expect(panelUserKey(42)).toBe('vpn_s42');
    expect(subscriptionIdFromKey('vpn_s42')).toBe(42);
    expect(subscriptionIdFromKey('vpn_s042')).toBeNull();
    expect(subscriptionIdFromKey('someone_else')).toBeNull();
    expect(panelUserKey(9_007_199_254_740_991).length).toBeLessThanOrEqual(32);
  });

  it('opens an active subscription until its end, with its own limits over the plan', () => {
    expect(desiredSpec(sub, { trafficLimitBytes: 100, deviceLimit: 3 }, { key: 'k', now })).toEqual({
      key: 'k',
      expiresAt: sub.endsAt,
      trafficLimitBytes: 100,
      deviceLimit: 3,
      enabled: true,
      note: undefined,
    });
    expect(
      desiredSpec({ ...sub, trafficLimitBytes: 5, deviceLimit: 1 }, { trafficLimitBytes: 100, deviceLimit: 3 }, { key: 'k', now }),
    ).toMatchObject({ trafficLimitBytes: 5, deviceLimit: 1 });
    expect(desiredSpec(sub, null, { key: 'k', now })).toMatchObject({ trafficLimitBytes: null, deviceLimit: null });
  });

  it('closes expired, suspended, cancelled and pending subscriptions, and an active one past its end', () => {
    for (const status of ['expired', 'suspended', 'cancelled', 'pending'] as const)
      expect(desiredSpec({ ...sub, status }, null, { key: 'k', now }).enabled).toBe(false);
    expect(desiredSpec({ ...sub, endsAt: new Date('2029-12-31T23:59:59Z') }, null, { key: 'k', now }).enabled).toBe(false);
  });
});
