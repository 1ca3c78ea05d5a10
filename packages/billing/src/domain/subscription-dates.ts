/**
 * Pure date math for subscriptions. A "day" is exactly 86 400 000 ms of UTC time: periods are
 * counted in days (a "month" is the plan's `duration_days`), so DST shifts and leap years never
 * change what a customer gets.
 */

export const DAY_MS = 86_400_000;

/** `date` plus `days` whole days (negative days go back). */
export function addDays(date: Date, days: number): Date {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return new Date(date.getTime() + days * DAY_MS);
}

/** Whether a subscription ending at `endsAt` still gives access at `now` (the end is exclusive). */
export function isRunning(endsAt: Date | null, now: Date): boolean {
  return endsAt !== null && endsAt.getTime() > now.getTime();
}

export interface ExtensionWindow {
  startsAt: Date;
  endsAt: Date;
  /** True when the extension starts from now (nothing left to add to). */
  restarted: boolean;
}

/**
 * Invariant 4: extending a subscription that is still running adds to its end; one that has
 * ended (or never existed) starts from now. Whether it "has ended" is decided by the clock, not
 * by the stored status: a row still marked `active` whose end has passed (the sweep has not run
 * yet) starts from now too, so the customer never pays for days already lost.
 */
export function extensionWindow(current: { startsAt: Date | null; endsAt: Date | null } | null, days: number, now: Date): ExtensionWindow {
  if (!Number.isSafeInteger(days) || days <= 0) throw new RangeError(`days must be a positive integer, got ${days}`);
  if (current && current.startsAt && isRunning(current.endsAt, now)) {
    return { startsAt: current.startsAt, endsAt: addDays(current.endsAt as Date, days), restarted: false };
  }
  return { startsAt: now, endsAt: addDays(now, days), restarted: true };
}

/**
 * Refund policy: take back the refunded days from the end, but never end before `now`
 * (time already used is not clawed back, and an end in the past would be meaningless).
 * Returns the new end and whether the subscription is thereby over.
 */
export function shortenedEnd(endsAt: Date, days: number, now: Date): { endsAt: Date; ended: boolean } {
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`days must be a non-negative integer, got ${days}`);
  const candidate = addDays(endsAt, -days);
  if (candidate.getTime() <= now.getTime()) return { endsAt: now, ended: true };
  return { endsAt: candidate, ended: false };
}

/** Whole days left (rounded up) between `now` and `endsAt`; 0 when ended. */
export function daysLeft(endsAt: Date | null, now: Date): number {
  if (!isRunning(endsAt, now)) return 0;
  return Math.ceil(((endsAt as Date).getTime() - now.getTime()) / DAY_MS);
}

/** The UTC calendar day (`YYYY-MM-DD`) of a date: renewal attempts and reminders are per day. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first instant of the UTC day after `date`. */
export function endOfUtcDay(date: Date): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  return addDays(d, 1);
}
