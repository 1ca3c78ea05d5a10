import type { KnownSettings } from '@vpn/db';
import type { TranslationKey } from '@vpn/i18n';

/** Where a rule's texts live: `admin.settings.rules.<name>.label` and `.help` (ru and en, checked by the locale test). */
interface Texts {
  label: TranslationKey;
  help: TranslationKey;
}

export interface BoolRule extends Texts {
  kind: 'bool';
}
export interface IntRule extends Texts {
  kind: 'int';
  /** Of the stored value. */
  min: number;
  max: number;
  /** Typed and shown in a larger unit (GiB for bytes): stored = typed × factor; `unit` is a symbol, not translated. */
  scale?: { factor: number; unit: string };
  /** May also be unset (null, typed `auto`): the reader then works out its own default. */
  auto?: true;
}
/** A length of time stored as a whole number of `unit`s; typed as `90m`, `2h`, `1d` or a bare number of `unit`s. */
export interface DurationRule extends Texts {
  kind: 'duration';
  unit: DurationUnit;
  /** In `unit`s. */
  min: number;
  max: number;
}
/** Whole numbers, each in [min, max], 1..maxItems of them, in the order typed without repeats. */
export interface IntListRule extends Texts {
  kind: 'intList';
  min: number;
  max: number;
  maxItems: number;
}
/** One of `values` (lowercase where words: readers compare exactly). */
export interface ChoiceRule<V extends string> extends Texts {
  kind: 'choice';
  values: readonly V[];
}
/** Text of 0..max characters (trimmed, no control characters), optionally matching `pattern`. */
export interface TextRule extends Texts {
  kind: 'text';
  max: number;
  /** What the text must look like, shown to the operator as `patternHint`. */
  pattern?: RegExp;
  patternHint?: string;
}

export type DurationUnit = 'minutes' | 'hours' | 'days';
export const MINUTES_PER: Readonly<Record<DurationUnit, number>> = { minutes: 1, hours: 60, days: 1440 };

/** The rule kinds a setting of value type `V` may have (the tuple stops `boolean` splitting into true | false). */
export type RuleFor<V> = [V] extends [boolean]
  ? BoolRule
  : [V] extends [number]
    ? IntRule | DurationRule
    : [V] extends [number | null]
      ? IntRule & { auto: true }
      : [V] extends [readonly number[]]
        ? IntListRule
        : [V] extends [string]
          ? string extends V
            ? TextRule | ChoiceRule<string>
            : ChoiceRule<V>
          : never;

/** One rule per known setting: a setting added to `KnownSettings` without a rule does not compile. */
export type SettingRules = { readonly [K in keyof KnownSettings]: RuleFor<KnownSettings[K]> };
export type SettingKey = keyof KnownSettings;
export type SettingRule = SettingRules[SettingKey];

const texts = <N extends string>(name: N) =>
  ({ label: `admin.settings.rules.${name}.label`, help: `admin.settings.rules.${name}.help` }) as const;

const GIB = 1024 ** 3;

/**
 * How each runtime setting may be changed from the admin bot (and the admin API): its kind, its
 * allowed range, its label and help. The ranges are the ones the readers accept (billing's
 * `resolveBillingSettings`, the support bot, the worker), so a saved value is never silently
 * replaced by a default.
 */
export const SETTING_RULES: SettingRules = {
  'trial.enabled': { kind: 'bool', ...texts('trialEnabled') },
  'trial.days': { kind: 'int', min: 1, max: 365, ...texts('trialDays') },
  'trial.trafficLimitBytes': {
    kind: 'int',
    min: GIB,
    max: 10_000 * GIB,
    scale: { factor: GIB, unit: 'GiB' },
    ...texts('trialTrafficLimitBytes'),
  },
  'referral.referrerDays': { kind: 'int', min: 0, max: 365, ...texts('referralReferrerDays') },
  'referral.refereeDays': { kind: 'int', min: 0, max: 365, ...texts('referralRefereeDays') },
  'reminders.daysBefore': { kind: 'intList', min: 1, max: 30, maxItems: 5, ...texts('remindersDaysBefore') },
  'autoRenew.retryHours': { kind: 'duration', unit: 'hours', min: 1, max: 168, ...texts('autoRenewRetryHours') },
  'autoRenew.maxFailures': { kind: 'int', min: 1, max: 10, ...texts('autoRenewMaxFailures') },
  'outage.minMinutes': { kind: 'duration', unit: 'minutes', min: 1, max: 1440, ...texts('outageMinMinutes') },
  'outage.compensationDays': { kind: 'int', min: 0, max: 30, ...texts('outageCompensationDays') },
  'broadcast.allowPaid': { kind: 'bool', ...texts('broadcastAllowPaid') },
  'payments.recurringEnabled': { kind: 'bool', ...texts('paymentsRecurringEnabled') },
  'autoRenew.saveCardDefault': { kind: 'bool', ...texts('autoRenewSaveCardDefault') },
  'referral.mode': { kind: 'choice', values: ['days', 'commission', 'both'], ...texts('referralMode') },
  'referral.commissionPercent': { kind: 'int', min: 0, max: 100, ...texts('referralCommissionPercent') },
  'referral.minFirstPaymentMinor': { kind: 'int', min: 1, max: 100_000_000, auto: true, ...texts('referralMinFirstPaymentMinor') },
  'referral.minFirstPaymentStars': { kind: 'int', min: 1, max: 1_000_000, auto: true, ...texts('referralMinFirstPaymentStars') },
  'balance.currency': { kind: 'text', max: 5, pattern: /^[A-Z]{3,5}$/, patternHint: 'RUB, USD, XTR', ...texts('balanceCurrency') },
  'balance.topUpPresetsMinor': { kind: 'intList', min: 1, max: 100_000_000, maxItems: 8, ...texts('balanceTopUpPresetsMinor') },
  'balance.topUpMinMinor': { kind: 'int', min: 1, max: 100_000_000, ...texts('balanceTopUpMinMinor') },
  'balance.topUpMaxMinor': { kind: 'int', min: 1, max: 100_000_000, ...texts('balanceTopUpMaxMinor') },
  'support.slaMinutes': { kind: 'duration', unit: 'minutes', min: 1, max: 10_080, ...texts('supportSlaMinutes') },
  'support.notePrefix': { kind: 'text', max: 16, ...texts('supportNotePrefix') },
};

/** The known settings in the order the admin bot lists them. */
export const SETTING_KEYS = Object.keys(SETTING_RULES) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_RULES, key);
}
