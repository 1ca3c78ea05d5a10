import { describe, expect, it } from 'vitest';
import { BILLING_SETTING_KEYS as K, DEFAULT_BILLING_SETTINGS, GIB, resolveBillingSettings } from './settings.js';

describe('resolveBillingSettings', () => {
  it('uses the defaults: trial 3 days and 10 GiB, referral 7 and 3 days, retry 24 h, 2 failures', () => {
    const s = resolveBillingSettings({});
    expect(s).toEqual(DEFAULT_BILLING_SETTINGS);
    expect(s.trialDays).toBe(3);
    expect(s.trialTrafficBytes).toBe(10 * GIB);
    expect([s.referrerBonusDays, s.refereeBonusDays]).toEqual([7, 3]);
    expect([s.renewal.retryAfterHours, s.renewal.maxFailures]).toEqual([24, 2]);
  });

  it('reads stored values, numbers or numeric strings', () => {
    const s = resolveBillingSettings({
      [K.trialDays]: 7,
      [K.referrerBonusDays]: '14',
      [K.trialTrafficBytes]: null,
      [K.renewalMaxFailures]: 3,
    });
    expect(s.trialDays).toBe(7);
    expect(s.referrerBonusDays).toBe(14);
    expect(s.trialTrafficBytes).toBeNull();
    expect(s.renewal.maxFailures).toBe(3);
  });

  it('falls back on nonsense instead of giving away time', () => {
    const s = resolveBillingSettings({
      [K.trialDays]: 10_000,
      [K.refereeBonusDays]: -1,
      [K.renewalRetryHours]: 'soon',
      [K.trialTrafficBytes]: 1.5,
    });
    expect(s.trialDays).toBe(3);
    expect(s.refereeBonusDays).toBe(3);
    expect(s.renewal.retryAfterHours).toBe(24);
    expect(s.trialTrafficBytes).toBe(10 * GIB);
  });
});
