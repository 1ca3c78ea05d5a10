import { describe, expect, it } from 'vitest';
import { CallbackDataError, assertCallbackData, callbackData } from './callback-data.js';

describe('callback data', () => {
  const plan = callbackData('pl', ['id', 'months']);

  it('packs and unpacks typed fields', () => {
    const data = plan.pack({ id: 3, months: 12 });
    expect(data).toBe('pl:3:12');
    expect(plan.unpack(data)).toEqual({ id: '3', months: '12' });
    expect(plan.filter.test(data)).toBe(true);
    expect(plan.unpack('pl:3')).toBeUndefined();
    expect(plan.unpack('plx:3:12')).toBeUndefined();
  });

  it('counts bytes, not characters, against the 64-byte limit', () => {
    expect(assertCallbackData('x'.repeat(64))).toHaveLength(64);
    expect(() => assertCallbackData('x'.repeat(65))).toThrow(CallbackDataError);
    // 22 Cyrillic letters are 44 bytes in UTF-8; 33 are 66.
    expect(() => assertCallbackData('я'.repeat(33))).toThrow(/66 bytes; Telegram allows 64/);
    expect(() => plan.pack({ id: 'y'.repeat(60), months: 1 })).toThrow(CallbackDataError);
  });

  it('rejects values that would break the format and bad prefixes', () => {
    expect(() => plan.pack({ id: 'a:b', months: 1 })).toThrow(/may not contain ":"/);
    expect(() => callbackData('a:b', ['x'])).toThrow(CallbackDataError);
    expect(() => assertCallbackData('')).toThrow(CallbackDataError);
  });
});
