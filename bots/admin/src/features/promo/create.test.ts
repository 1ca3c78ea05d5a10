import { describe, expect, it } from 'vitest';
import { parseUntil } from './create.js';

describe('a promo expiry as staff type it', () => {
  const now = new Date('2026-12-08T10:00:00Z');
  it('reads days from now, the last day it works (to its end, UTC), or "-" for none', () => {
    expect(parseUntil('30', now)).toEqual({ ok: true, value: '2027-01-07T10:00:00.000Z' });
    expect(parseUntil('2027-01-31', now)).toEqual({ ok: true, value: '2027-02-01T00:00:00.000Z' });
    expect(parseUntil('2026-12-08', now)).toEqual({ ok: true, value: '2026-12-09T00:00:00.000Z' });
    expect(parseUntil('-', now)).toEqual({ ok: true, value: null });
  });
  it('refuses a past day, an impossible date, too far ahead, or anything else, by field', () => {
    for (const bad of ['2026-12-07', '2027-02-30', '2040-01-01', '0', '3651', 'tomorrow', ''])
      expect(parseUntil(bad, now)).toMatchObject({ ok: false, error: { field: 'validUntil' } });
  });
});
