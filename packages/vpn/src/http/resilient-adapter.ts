import type { PanelAdapter } from '../adapter.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry.js';

export interface ResilienceOptions {
  breaker: CircuitBreaker;
  retry?: RetryOptions;
}

/**
 * Wraps an adapter so every call goes through the server's circuit breaker and, when the
 * operation is safe to repeat, retries with backoff. Every PanelAdapter operation is idempotent
 * by contract (ensure = read then create-or-modify, delete of a missing user is fine) except
 * `revokeSubscription`, which rotates the link on each call: it runs once.
 *
 * Retry wraps the breaker, so a breaker that opens mid-way stops the retries at once.
 */
export function withResilience(adapter: PanelAdapter, options: ResilienceOptions): PanelAdapter {
  const retry = options.retry ?? DEFAULT_RETRY;
  const once = <T>(fn: () => Promise<T>): Promise<T> => options.breaker.run(fn);
  const safe = <T>(fn: () => Promise<T>): Promise<T> => withRetry(() => options.breaker.run(fn), retry);
  return {
    kind: adapter.kind,
    connect: () => safe(() => adapter.connect()),
    ensureUser: (spec) => safe(() => adapter.ensureUser(spec)),
    getUser: (key) => safe(() => adapter.getUser(key)),
    setEnabled: (key, enabled) => safe(() => adapter.setEnabled(key, enabled)),
    resetTraffic: (key) => safe(() => adapter.resetTraffic(key)),
    revokeSubscription: (key) => once(() => adapter.revokeSubscription(key)),
    deleteUser: (key) => safe(() => adapter.deleteUser(key)),
    listUsers: (page) => safe(() => adapter.listUsers(page)),
    // Health is a probe: it must report the panel's state, not the breaker's, and never retry.
    health: () => adapter.health(),
  };
}
