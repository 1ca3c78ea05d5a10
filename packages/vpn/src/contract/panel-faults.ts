import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelError, type PanelAdapter, type PanelUserSpec } from '../adapter.js';
import { createCircuitBreaker } from '../http/circuit-breaker.js';
import { withResilience } from '../http/resilient-adapter.js';
import type { RetryOptions } from '../http/retry.js';
import type { RequestMatcher } from '../testing/faults.js';
import type { PanelEmulator } from '../testing/panel-emulator.js';

export interface FaultHarness {
  /** An adapter with a SHORT timeout (≈300 ms) so hung calls fail fast in tests. */
  adapter: PanelAdapter;
  emulator: PanelEmulator;
}

export interface FaultOptions {
  /** The request that creates a panel user (`'POST /api/user'` for Marzban). */
  createRequest: RequestMatcher;
  /** A version string the adapter must refuse. */
  unsupportedVersion: string;
  /** Whether the panel authenticates with a login that expires (wg-easy Basic auth: false). */
  sessions?: boolean;
  /**
   * Whether the refusal can name the version (default true). 3x-ui reports no version of its
   * own: its adapter detects the API generation and can only say which ones it found missing.
   */
  versionInMessage?: boolean;
}

const fastRetry: RetryOptions = { attempts: 5, baseDelayMs: 20, maxDelayMs: 100 };

/**
 * Fault behaviour every adapter must show against its emulator (issue 4 "Done when"): a create
 * applied but unanswered is retried into exactly one account; a panel down for a while is
 * retried until it recovers; an expired login is renewed exactly once; an open circuit fails
 * fast and closes again; an unsupported version is refused with a clear message.
 */
export function runPanelFaultContract(name: string, make: () => Promise<FaultHarness>, options: FaultOptions): void {
  describe(`panel faults: ${name}`, () => {
    let h: FaultHarness;
    let seq = 0;
    const spec = (): PanelUserSpec => ({
      key: `vpn_f${Date.now() % 100_000}${++seq}`,
      expiresAt: new Date(Math.floor(Date.now() / 1000 + 86_400 * 30) * 1000),
      trafficLimitBytes: null,
      deviceLimit: null,
      enabled: true,
    });

    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      h.emulator.faults.clear();
      await h.emulator.close();
    });

    for (const mode of ['hang', 'reset'] as const) {
      it(`a create saved by the panel whose answer is lost (${mode}) is retried into exactly one account`, async () => {
        const resilient = withResilience(h.adapter, {
          breaker: createCircuitBreaker({ failureThreshold: 10, cooldownMs: 1_000 }),
          retry: fastRetry,
        });
        const s = spec();
        await h.adapter.connect();
        const before = h.emulator.userCount();
        h.emulator.faults.dropResponseNext(1, { match: options.createRequest, mode });
        const user = await resilient.ensureUser(s);
        expect(user.key).toBe(s.key);
        expect(h.emulator.userCount()).toBe(before + 1);
        expect(h.emulator.countRequests(options.createRequest)).toBe(1);
        expect(h.emulator.userKeys().filter((k) => k.toLowerCase() === s.key.toLowerCase())).toHaveLength(1);
      });
    }

    it('a panel down for a while is retried and recovers', async () => {
      // Fixed jitter: back-offs of ~20, 40, 80, 150… ms (≈1.3 s in all) outlast the 60 ms outage
      // plus two 503s even on a loaded machine; a healthy run only waits for the outage.
      const retry = { attempts: 12, baseDelayMs: 20, maxDelayMs: 150, random: () => 0.99 };
      const resilient = withResilience(h.adapter, { breaker: createCircuitBreaker({ failureThreshold: 10, cooldownMs: 1_000 }), retry });
      await h.adapter.connect();
      h.emulator.faults.failNext(2, { status: 503 });
      h.emulator.faults.setUnavailable(true);
      setTimeout(() => h.emulator.faults.setUnavailable(false), 60);
      const user = await resilient.ensureUser(spec());
      expect(user.enabled).toBe(true);
      expect(h.emulator.requests.filter((r) => r.status === 'refused' || r.status === 503).length).toBeGreaterThanOrEqual(1);
    });

    if (options.sessions !== false) {
      it('an expired login is renewed exactly once, even by concurrent calls', async () => {
        const s = spec();
        await h.adapter.ensureUser(s);
        const logins = h.emulator.loginCount();
        expect(logins).toBeGreaterThanOrEqual(1);
        h.emulator.expireSessions();
        const users = await Promise.all([h.adapter.getUser(s.key), h.adapter.getUser(s.key), h.adapter.getUser(s.key)]);
        expect(users.every((u) => u?.key === s.key)).toBe(true);
        expect(h.emulator.loginCount()).toBe(logins + 1);
      });
    }

    it('an open circuit fails fast without calling the panel, then closes again', async () => {
      const breaker = createCircuitBreaker({ failureThreshold: 2, cooldownMs: 150 });
      const resilient = withResilience(h.adapter, { breaker, retry: { ...fastRetry, attempts: 1 } });
      await resilient.connect();
      h.emulator.faults.setUnavailable(true);
      for (let i = 0; i < 2; i++) await expect(resilient.getUser('vpn_s1')).rejects.toMatchObject({ code: 'unreachable' });
      expect(breaker.state).toBe('open');
      const seen = h.emulator.requests.length;
      const started = Date.now();
      await expect(resilient.getUser('vpn_s1')).rejects.toMatchObject({ code: 'circuit_open' });
      // Far below any timeout: it never waited on the network.
      expect(Date.now() - started).toBeLessThan(150);
      expect(h.emulator.requests.length).toBe(seen);
      h.emulator.faults.setUnavailable(false);
      await new Promise((resolve) => setTimeout(resolve, 160));
      expect(await resilient.getUser('vpn_s1')).toBeNull();
      expect(breaker.state).toBe('closed');
    });

    it('refuses an unsupported panel version with a clear message', async () => {
      h.emulator.setVersion(options.unsupportedVersion);
      const error = await h.adapter.connect().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PanelError);
      expect((error as PanelError).code).toBe('unsupported_version');
      expect((error as PanelError).retryable).toBe(false);
      if (options.versionInMessage !== false) expect((error as PanelError).message).toContain(options.unsupportedVersion);
      expect((error as PanelError).message).toMatch(/not supported/);
    });

    it('refuses an unsupported version on the first call, without connect() and without creating', async () => {
      h.emulator.setVersion(options.unsupportedVersion);
      const before = h.emulator.userCount();
      const error = await h.adapter.ensureUser(spec()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PanelError);
      expect((error as PanelError).code).toBe('unsupported_version');
      expect((error as PanelError).message).toMatch(/not supported/);
      if (options.versionInMessage !== false) expect((error as PanelError).message).toContain(options.unsupportedVersion);
      expect(h.emulator.countRequests(options.createRequest)).toBe(0);
      expect(h.emulator.userCount()).toBe(before);
    });
  });
}
