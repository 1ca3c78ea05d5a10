import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnosisInput } from './diagnose.js';

const now = new Date('2026-11-21T12:00:00Z');
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
const healthy: DiagnosisInput = {
  now,
  subscription: { status: 'active', endsAt: inDays(10) },
  account: { syncState: 'synced', desiredVersion: 3, syncedVersion: 3 },
  server: { healthStatus: 'healthy' },
  traffic: { usedBytes: 1_000, limitBytes: 10_000 },
};

describe('diagnose', () => {
  it('finds nothing wrong with working access', () => {
    const d = diagnose(healthy);
    expect(d.problem).toBeNull();
    expect(d.resync).toBe(false);
    expect(d.checks.map((c) => c.finding)).toEqual(['active', 'account_ok', 'server_ok', 'traffic_ok']);
  });

  it('stops at the subscription when there is no working access', () => {
    expect(diagnose({ ...healthy, subscription: null }).checks.map((c) => c.finding)).toEqual(['no_subscription']);
    expect(diagnose({ ...healthy, subscription: { status: 'active', endsAt: inDays(-1) } }).problem).toBe('expired');
    expect(diagnose({ ...healthy, subscription: { status: 'expired', endsAt: inDays(-3) } }).problem).toBe('expired');
    expect(diagnose({ ...healthy, subscription: { status: 'suspended', endsAt: inDays(3) } }).problem).toBe('suspended');
  });

  it('puts a failure before a warning and asks for a resync of a missing or failed account', () => {
    const ending = { ...healthy, subscription: { status: 'active' as const, endsAt: new Date(now.getTime() + 3_600_000) } };
    expect(diagnose(ending).problem).toBe('ends_soon');
    const failed = diagnose({ ...ending, account: { syncState: 'failed', desiredVersion: 3, syncedVersion: 2 } });
    expect(failed.problem).toBe('account_failed');
    expect(failed.resync).toBe(true);
    const missing = diagnose({ ...healthy, account: null, server: null });
    expect(missing.problem).toBe('account_missing');
    expect(missing.checks.map((c) => c.id)).toEqual(['subscription', 'account', 'traffic']);
    expect(diagnose({ ...healthy, account: { syncState: 'synced', desiredVersion: 4, syncedVersion: 3 } }).problem).toBe('account_pending');
  });

  it('reports the server and the traffic', () => {
    expect(diagnose({ ...healthy, server: { healthStatus: 'down' } }).problem).toBe('server_down');
    expect(diagnose({ ...healthy, server: { healthStatus: 'degraded' } }).problem).toBe('server_degraded');
    expect(diagnose({ ...healthy, server: { healthStatus: 'unknown' } }).problem).toBeNull();
    expect(diagnose({ ...healthy, traffic: { usedBytes: 10_000, limitBytes: 10_000 } }).problem).toBe('traffic_exhausted');
    expect(diagnose({ ...healthy, traffic: { usedBytes: 9_500, limitBytes: 10_000 } }).problem).toBe('traffic_low');
    expect(diagnose({ ...healthy, traffic: { usedBytes: 9e12, limitBytes: null } }).problem).toBeNull();
  });

  it('believes the panel read live over the database: restoring, the server not answering, no answer at all', () => {
    const restoring = diagnose({ ...healthy, live: 'restoring' });
    expect(restoring.problem).toBe('account_restoring');
    expect(restoring.resync).toBe(false); // the worker already queued the re-ensure
    const down = diagnose({ ...healthy, live: 'unreachable' });
    expect(down.problem).toBe('server_unreachable');
    expect(down.checks.map((c) => c.finding)).toEqual(['active', 'panel_unchecked', 'server_unreachable', 'traffic_ok']);
    expect(diagnose({ ...healthy, live: 'no_answer' }).problem).toBe('panel_unchecked');
    expect(diagnose({ ...healthy, live: 'ok' }).problem).toBeNull();
  });
});
