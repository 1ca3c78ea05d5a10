import { DEFAULT_SETTINGS } from '@vpn/db';
import { describe, expect, it } from 'vitest';
import { isBackofficeError } from '../errors.js';
import { SETTING_KEYS, SETTING_RULES, type SettingRules } from './rules.js';
import { parseSettingInput, validateSettingValue } from './values.js';

/** The refusal `call` throws: code, field and the range it names. */
function refusal(call: () => unknown) {
  try {
    call();
  } catch (error) {
    if (isBackofficeError(error)) return { code: error.code, field: error.field, details: error.details };
    throw error;
  }
  throw new Error('not refused');
}

describe('SETTING_RULES', () => {
  it('has a rule for every known setting, and every default passes its own rule', () => {
    expect(SETTING_KEYS.sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
    for (const key of SETTING_KEYS) expect(validateSettingValue(key, DEFAULT_SETTINGS[key])).toEqual(DEFAULT_SETTINGS[key]);
  });

  it('an auto setting (null: its reader computes the default) takes a number or "auto", and shows "auto"', () => {
    expect(parseSettingInput('referral.minFirstPaymentMinor', 'auto')).toBeNull();
    expect(parseSettingInput('referral.minFirstPaymentStars', '-')).toBeNull();
    expect(parseSettingInput('referral.minFirstPaymentMinor', '19 900')).toBe(19_900);
    expect(refusal(() => parseSettingInput('referral.minFirstPaymentStars', '0'))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(refusal(() => validateSettingValue('trial.days', null))).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('is typed over KnownSettings: a missing rule, a rule of the wrong kind, a choice outside the type do not compile', () => {
    const { 'support.notePrefix': _dropped, ...rest } = SETTING_RULES;
    // @ts-expect-error a known setting without a rule
    const missing: SettingRules = rest;
    const label = 'admin.settings.rules.trialEnabled.label' as const;
    const wrongKind: SettingRules = {
      ...SETTING_RULES,
      // @ts-expect-error a boolean setting with an int rule
      'trial.enabled': { kind: 'int', min: 0, max: 1, label, help: label },
    };
    const wrongChoice: SettingRules = {
      ...SETTING_RULES,
      // @ts-expect-error referral.mode's values are lowercase words of its type
      'referral.mode': { kind: 'choice', values: ['Days'], label, help: label },
    };
    expect([missing, wrongKind, wrongChoice]).toHaveLength(3);
  });
});

describe('parseSettingInput', () => {
  it('reads what an operator types', () => {
    expect(parseSettingInput('trial.enabled', ' Off ')).toBe(false);
    expect(parseSettingInput('trial.enabled', 'да')).toBe(true);
    expect(parseSettingInput('referral.mode', 'Commission')).toBe('commission');
    expect(parseSettingInput('referral.commissionPercent', '15')).toBe(15);
    expect(parseSettingInput('support.slaMinutes', '2h')).toBe(120);
    expect(parseSettingInput('support.slaMinutes', '45')).toBe(45);
    expect(parseSettingInput('support.slaMinutes', '1 д')).toBe(1440);
    expect(parseSettingInput('autoRenew.retryHours', '1d')).toBe(24);
    expect(parseSettingInput('trial.trafficLimitBytes', '20')).toBe(20 * 1024 ** 3);
    expect(parseSettingInput('balance.topUpPresetsMinor', '50000, 20000; 50000')).toEqual([50_000, 20_000]);
    expect(parseSettingInput('support.notePrefix', '  !! ')).toBe('!!');
    expect(parseSettingInput('balance.currency', 'USD')).toBe('USD');
  });

  it('refuses bad input naming the setting and its range', () => {
    expect(refusal(() => parseSettingInput('referral.commissionPercent', '101'))).toEqual({
      code: 'INVALID_INPUT',
      field: 'referral.commissionPercent',
      details: { min: 0, max: 100 },
    });
    expect(refusal(() => parseSettingInput('referral.mode', 'everything')).details).toEqual({ allowed: ['days', 'commission', 'both'] });
    expect(refusal(() => parseSettingInput('trial.enabled', 'maybe')).details).toEqual({ allowed: ['on', 'off'] });
    expect(refusal(() => parseSettingInput('support.slaMinutes', '90s')).details).toEqual({ min: 1, max: 10_080, unit: 'minutes' });
    // Not a whole number of hours.
    expect(refusal(() => parseSettingInput('autoRenew.retryHours', '90m')).field).toBe('autoRenew.retryHours');
    expect(refusal(() => parseSettingInput('support.notePrefix', 'x'.repeat(17))).details).toEqual({ maxLength: 16 });
    expect(refusal(() => parseSettingInput('support.notePrefix', '1'.repeat(5000))).code).toBe('INVALID_INPUT');
    expect(refusal(() => parseSettingInput('balance.currency', 'rubles')).details).toEqual({ maxLength: 5, pattern: 'RUB, USD, XTR' });
    expect(refusal(() => parseSettingInput('trial.days', '-3')).details).toEqual({ min: 1, max: 365 });
    expect(refusal(() => parseSettingInput('trial.days', '1e3')).code).toBe('INVALID_INPUT');
    expect(refusal(() => parseSettingInput('reminders.daysBefore', '1,2,3,4,5,6')).details).toEqual({ min: 1, max: 30, maxItems: 5 });
    expect(refusal(() => parseSettingInput('trial.trafficLimitBytes', '0')).details).toEqual({ min: 1, max: 10_000, unit: 'GiB' });
  });

  it('checks typed values too (the admin API sends JSON)', () => {
    expect(refusal(() => validateSettingValue('trial.enabled', 'true')).code).toBe('INVALID_INPUT');
    expect(refusal(() => validateSettingValue('referral.commissionPercent', 10.5)).code).toBe('INVALID_INPUT');
    expect(refusal(() => validateSettingValue('referral.mode', 'Days')).code).toBe('INVALID_INPUT');
  });
});
