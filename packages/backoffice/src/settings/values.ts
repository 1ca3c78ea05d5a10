import type { KnownSettings } from '@vpn/db';
import { BackofficeError } from '../errors.js';
import { MINUTES_PER, SETTING_RULES, type SettingKey, type SettingRule } from './rules.js';

// Control characters never belong in a setting an operator types.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

/** A rule's allowed range as refusal details (what the admin bot's `rangeOf` words): shown before input and in a refusal. */
export function settingRange(rule: SettingRule): Record<string, unknown> {
  switch (rule.kind) {
    case 'bool':
      return { allowed: ['on', 'off'] };
    case 'choice':
      return { allowed: rule.values };
    case 'int':
      return {
        ...(rule.scale
          ? { min: rule.min / rule.scale.factor, max: rule.max / rule.scale.factor, unit: rule.scale.unit }
          : { min: rule.min, max: rule.max }),
        ...(rule.auto ? { allowed: [AUTO] } : {}),
      };
    case 'duration':
      return { min: rule.min, max: rule.max, unit: rule.unit };
    case 'intList':
      return { min: rule.min, max: rule.max, maxItems: rule.maxItems };
    case 'text':
      return { maxLength: rule.max, ...(rule.patternHint ? { pattern: rule.patternHint } : {}) };
  }
}

const refuse = (key: SettingKey, why: string): BackofficeError =>
  new BackofficeError('INVALID_INPUT', `${key}: ${why}`, key, settingRange(SETTING_RULES[key]));

const wholeIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

/**
 * Checks a value for `key` against its rule and returns it normalised (text trimmed, lists
 * without repeats). @throws BackofficeError `INVALID_INPUT` naming the setting and its range.
 */
export function validateSettingValue<K extends SettingKey>(key: K, value: unknown): KnownSettings[K] {
  const rule: SettingRule = SETTING_RULES[key];
  switch (rule.kind) {
    case 'bool':
      if (typeof value !== 'boolean') throw refuse(key, 'must be on or off');
      return value as KnownSettings[K];
    case 'choice':
      if (typeof value !== 'string' || !rule.values.includes(value)) throw refuse(key, `must be one of ${rule.values.join(', ')}`);
      return value as KnownSettings[K];
    case 'int':
    case 'duration':
      if (value === null && rule.kind === 'int' && rule.auto) return null as KnownSettings[K];
      if (!wholeIn(value, rule.min, rule.max)) throw refuse(key, `must be a whole number from ${rule.min} to ${rule.max}`);
      return value as KnownSettings[K];
    case 'intList': {
      if (!Array.isArray(value) || value.length < 1 || value.length > rule.maxItems || !value.every((v) => wholeIn(v, rule.min, rule.max)))
        throw refuse(key, `must be 1 to ${rule.maxItems} whole numbers from ${rule.min} to ${rule.max}`);
      return [...new Set(value)] as KnownSettings[K];
    }
    case 'text': {
      if (typeof value !== 'string') throw refuse(key, 'must be text');
      const text = value.trim();
      if (text.length > rule.max || CONTROL.test(text) || (rule.pattern && !rule.pattern.test(text)))
        throw refuse(key, `must be at most ${rule.max} characters${rule.patternHint ? ` like ${rule.patternHint}` : ''}`);
      return text as KnownSettings[K];
    }
  }
}

/** What unsets an `auto` setting (its reader's own default then applies). */
const AUTO = 'auto';
const AUTO_WORDS = new Set([AUTO, 'авто', '-']);
const TRUE = new Set(['on', 'true', 'yes', '1', 'вкл', 'да']);
const FALSE = new Set(['off', 'false', 'no', '0', 'выкл', 'нет']);
const DURATION = /^(\d{1,7})\s*(m|min|мин|м|h|ч|d|д)?$/i;
const UNIT_MINUTES: Record<string, number> = { m: 1, min: 1, мин: 1, м: 1, h: 60, ч: 60, d: 1440, д: 1440 };

/** A whole number typed with optional thousands separators (`100 000`, `100_000`). */
function typedInt(text: string): number | undefined {
  const digits = text.replace(/[\s_]/g, '');
  return /^\d{1,15}$/.test(digits) ? Number(digits) : undefined;
}

/**
 * Reads what an operator typed for `key` (`on`, `30m`, `2h`, `3, 2, 1`, `commission`, `10` GiB …)
 * and validates it. Huge or malformed input is refused before anything changes.
 * @throws BackofficeError `INVALID_INPUT` naming the setting and its range.
 */
export function parseSettingInput<K extends SettingKey>(key: K, input: string): KnownSettings[K] {
  const rule: SettingRule = SETTING_RULES[key];
  const text = input.trim();
  if (text.length > 200) throw refuse(key, 'too long');
  const word = text.toLowerCase();
  switch (rule.kind) {
    case 'bool':
      return validateSettingValue(key, TRUE.has(word) ? true : FALSE.has(word) ? false : undefined);
    case 'choice':
      return validateSettingValue(key, word);
    case 'int': {
      if (rule.auto && AUTO_WORDS.has(word)) return validateSettingValue(key, null);
      const n = typedInt(text);
      return validateSettingValue(key, n === undefined ? undefined : n * (rule.scale?.factor ?? 1));
    }
    case 'duration': {
      const m = DURATION.exec(text);
      const minutes = m ? Number(m[1]) * (m[2] ? (UNIT_MINUTES[m[2].toLowerCase()] ?? NaN) : MINUTES_PER[rule.unit]) : NaN;
      const units = minutes / MINUTES_PER[rule.unit];
      return validateSettingValue(key, Number.isInteger(units) ? units : undefined);
    }
    case 'intList': {
      const parts = text.split(/[\s,;]+/).filter(Boolean);
      const numbers = parts.map((p) => (/^\d{1,12}$/.test(p) ? Number(p) : NaN));
      return validateSettingValue(key, numbers);
    }
    case 'text':
      return validateSettingValue(key, input);
  }
}

/** A value as the admin bot shows it (plain text, to be escaped): `30 min` is left to the caller's language. */
export function settingValueText(key: SettingKey, value: unknown): string {
  const rule: SettingRule = SETTING_RULES[key];
  if (rule.kind === 'int' && rule.scale && typeof value === 'number') return `${value / rule.scale.factor} ${rule.scale.unit}`;
  if (Array.isArray(value)) return value.join(', ');
  if (value === null && rule.kind === 'int' && rule.auto) return AUTO;
  if (typeof value === 'string') return value === '' ? '∅' : value;
  return String(value);
}
