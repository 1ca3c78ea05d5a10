import { describe, expect, it } from 'vitest';
import { addDays, daysLeft, endOfUtcDay, extensionWindow, isRunning, shortenedEnd, utcDay } from './subscription-dates.js';

const now = new Date('2026-03-10T12:00:00Z');
const iso = (d: Date) => d.toISOString();

describe('extensionWindow (invariant 4)', () => {
  it('adds to the end of a running subscription, keeping its start', () => {
    const current = { startsAt: new Date('2026-03-01T00:00:00Z'), endsAt: new Date('2026-03-20T00:00:00Z') };
    const w = extensionWindow(current, 30, now);
    expect(iso(w.endsAt)).toBe('2026-04-19T00:00:00.000Z');
    expect(w.startsAt).toBe(current.startsAt);
    expect(w.restarted).toBe(false);
  });

  it('starts from now when the subscription has ended', () => {
    const w = extensionWindow({ startsAt: new Date('2026-01-01T00:00:00Z'), endsAt: new Date('2026-03-01T00:00:00Z') }, 30, now);
    expect(iso(w.startsAt)).toBe(iso(now));
    expect(iso(w.endsAt)).toBe('2026-04-09T12:00:00.000Z');
    expect(w.restarted).toBe(true);
  });

  it('starts from now when the end is exactly now (the end is exclusive)', () => {
    const w = extensionWindow({ startsAt: new Date('2026-03-01T00:00:00Z'), endsAt: now }, 1, now);
    expect(w.restarted).toBe(true);
    expect(iso(w.endsAt)).toBe('2026-03-11T12:00:00.000Z');
  });

  it('starts from now for a first subscription', () => {
    expect(iso(extensionWindow(null, 3, now).endsAt)).toBe('2026-03-13T12:00:00.000Z');
  });

  it('refuses zero, negative or fractional days', () => {
    expect(() => extensionWindow(null, 0, now)).toThrow(RangeError);
    expect(() => extensionWindow(null, -3, now)).toThrow(RangeError);
    expect(() => extensionWindow(null, 1.5, now)).toThrow(RangeError);
  });
});

describe('day arithmetic is plain UTC milliseconds', () => {
  it('crosses a DST change (Europe, last Sunday of March) and 29 February without drifting', () => {
    expect(iso(addDays(new Date('2026-03-28T22:30:00Z'), 1))).toBe('2026-03-29T22:30:00.000Z');
    expect(iso(addDays(new Date('2028-02-28T10:00:00Z'), 1))).toBe('2028-02-29T10:00:00.000Z');
    expect(iso(addDays(new Date('2027-02-28T10:00:00Z'), 1))).toBe('2027-03-01T10:00:00.000Z');
  });

  it('a 365-day plan bought in a leap year ends 365 days later, not on the same date', () => {
    expect(iso(addDays(new Date('2028-01-01T00:00:00Z'), 365))).toBe('2028-12-31T00:00:00.000Z');
  });

  it('isRunning, daysLeft, utcDay and endOfUtcDay', () => {
    expect(isRunning(null, now)).toBe(false);
    expect(isRunning(addDays(now, 1), now)).toBe(true);
    expect(daysLeft(new Date('2026-03-11T00:00:00Z'), now)).toBe(1);
    expect(daysLeft(new Date('2026-03-13T12:00:00Z'), now)).toBe(3);
    expect(daysLeft(new Date('2026-03-01T00:00:00Z'), now)).toBe(0);
    expect(utcDay(now)).toBe('2026-03-10');
    expect(iso(endOfUtcDay(now))).toBe('2026-03-11T00:00:00.000Z');
  });
});

describe('shortenedEnd (refund policy)', () => {
  it('takes the refunded days off the end', () => {
    expect(shortenedEnd(new Date('2026-05-01T00:00:00Z'), 30, now)).toEqual({ endsAt: new Date('2026-04-01T00:00:00Z'), ended: false });
  });

  it('never ends before now, and says the subscription is over', () => {
    expect(shortenedEnd(new Date('2026-03-20T00:00:00Z'), 30, now)).toEqual({ endsAt: now, ended: true });
  });
});
