import { describe, expect, it } from 'vitest';
import { cappedBackoff, PermanentJobError } from '../backoff.js';
import {
  NOTIFICATION_KINDS,
  notificationsQueue,
  paymentPollQueue,
  provisioningQueue,
  queues,
  serverHealthQueue,
  settlementQueue,
  vpnReconcileQueue,
} from './index.js';

describe('queue contracts', () => {
  it('have unique names', () => {
    const names = Object.values(queues).map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('turn numeric ids into strings and derive the dedupe job id from the natural key', () => {
    const payload = settlementQueue.schema.parse({ paymentEventId: 42 });
    expect(payload).toEqual({ paymentEventId: '42' });
    expect(settlementQueue.jobId?.(payload)).toBe('settle:42');
  });

  it('dedupe provisioning by subscription and version, and not at all without a version', () => {
    const versioned = provisioningQueue.schema.parse({ subscriptionId: 'sub-1', version: 3, reason: 'purchase' });
    expect(provisioningQueue.jobId?.(versioned)).toBe('provision:sub-1:3');
    const bare = provisioningQueue.schema.parse({ subscriptionId: 'sub-1' });
    expect(bare.reason).toBe('changed');
    expect(provisioningQueue.jobId?.(bare)).toBeUndefined();
  });

  it('reject unknown fields and bad kinds', () => {
    expect(settlementQueue.schema.safeParse({ paymentEventId: '1', extra: true }).success).toBe(false);
    expect(notificationsQueue.schema.safeParse({ userId: 1, kind: 'Bad Kind', reference: 'r' }).success).toBe(false);
    const ok = notificationsQueue.schema.parse({ userId: 1, kind: NOTIFICATION_KINDS[0], reference: 'pay-1' });
    expect(notificationsQueue.jobId?.(ok)).toBe('notify:1:trial_activated:pay-1');
  });

  it('reconcile repairs by default and leaves the orphan policy to the worker unless a run names one', () => {
    expect(vpnReconcileQueue.schema.parse({})).toEqual({ repair: true });
    expect(vpnReconcileQueue.schema.parse({ orphans: 'delete', serverId: 3 })).toEqual({ repair: true, orphans: 'delete', serverId: '3' });
    expect(vpnReconcileQueue.schema.safeParse({ orphans: 'purge' }).success).toBe(false);
    expect(serverHealthQueue.schema.parse({ serverId: 7 })).toEqual({ serverId: '7' });
    expect(serverHealthQueue.defaults.attempts).toBe(1);
  });

  it('tell a poll sweep from a single-payment poll', () => {
    expect(paymentPollQueue.jobId?.(paymentPollQueue.schema.parse({ scope: 'sweep' }))).toBeUndefined();
    expect(paymentPollQueue.jobId?.(paymentPollQueue.schema.parse({ scope: 'payment', paymentId: 'p1' }))).toBe('poll:p1');
    expect(paymentPollQueue.schema.safeParse({ scope: 'payment' }).success).toBe(false);
  });
});

describe('capped backoff', () => {
  const backoff = cappedBackoff();

  it('doubles from the base and stops at the ceiling (±10 % jitter)', () => {
    const opts = { baseMs: 1_000, maxMs: 10_000 };
    expect(backoff(1, new Error('x'), opts)).toBeGreaterThanOrEqual(900);
    expect(backoff(1, new Error('x'), opts)).toBeLessThanOrEqual(1_100);
    expect(backoff(3, new Error('x'), opts)).toBeGreaterThanOrEqual(3_600);
    expect(backoff(3, new Error('x'), opts)).toBeLessThanOrEqual(4_400);
    expect(backoff(20, new Error('x'), opts)).toBeLessThanOrEqual(11_000);
  });

  it('stops retrying errors that say they are permanent', () => {
    expect(backoff(1, new PermanentJobError('blocked'), { baseMs: 1, maxMs: 1 })).toBe(-1);
    expect(backoff(1, Object.assign(new Error('auth'), { retryable: false }), { baseMs: 1, maxMs: 1 })).toBe(-1);
    expect(backoff(1, Object.assign(new Error('down'), { retryable: true }), { baseMs: 1, maxMs: 1 })).toBeGreaterThan(0);
  });

  it('scales delays down for tests', () => {
    expect(cappedBackoff(0.01)(1, new Error('x'), { baseMs: 10_000, maxMs: 10_000 })).toBeLessThanOrEqual(110);
  });
});
