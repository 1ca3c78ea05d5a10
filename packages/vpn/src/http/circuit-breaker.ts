import { metrics } from '@vpn/metrics';
import { PanelError } from '../adapter.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  cooldownMs: number;
  /** A label for messages (server name or id). */
  name?: string;
  /**
   * Which errors count as the panel being unwell. Default: retryable PanelErrors (network,
   * timeout, 5xx). A 404 or a rejected body says nothing about the panel's health.
   */
  isFailure?: (error: unknown) => boolean;
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
  /** Injected for tests. */
  now?: () => number;
}

export const DEFAULT_BREAKER: Pick<CircuitBreakerOptions, 'failureThreshold' | 'cooldownMs'> = {
  failureThreshold: 5,
  cooldownMs: 30_000,
};

/**
 * A per-server circuit breaker: closed → open after N consecutive failures → half-open after the
 * cool-down (one trial call; others still fail fast) → closed on its success, open again on its
 * failure. While open every call fails at once with PanelError 'circuit_open', so a dead panel
 * costs nothing but the queue's next retry.
 */
export interface CircuitBreaker {
  readonly state: CircuitState;
  readonly consecutiveFailures: number;
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Back to closed (an operator action or a test). */
  reset(): void;
}

const defaultIsFailure = (error: unknown): boolean => error instanceof PanelError && error.retryable && error.code !== 'circuit_open';

/** Creates a {@link CircuitBreaker}; keep one per server (see {@link createBreakerRegistry}). */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  const isFailure = options.isFailure ?? defaultIsFailure;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let trialInFlight = false;

  function move(next: CircuitState): void {
    if (next === state) return;
    const previous = state;
    state = next;
    options.onStateChange?.(next, previous);
  }

  function admit(): boolean {
    if (state === 'open' && now() - openedAt >= options.cooldownMs) move('half-open');
    if (state === 'closed') return true;
    if (state === 'half-open' && !trialInFlight) {
      trialInFlight = true;
      return true;
    }
    return false;
  }

  return {
    get state() {
      // Reading the state reflects an elapsed cool-down without waiting for a call.
      if (state === 'open' && now() - openedAt >= options.cooldownMs) move('half-open');
      return state;
    },
    get consecutiveFailures() {
      return failures;
    },
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (!admit()) {
        const retryInMs = Math.max(0, options.cooldownMs - (now() - openedAt));
        throw new PanelError('circuit_open', `circuit for ${options.name ?? 'panel'} is open; retry in ${retryInMs} ms`);
      }
      const trial = state === 'half-open';
      try {
        const result = await fn();
        failures = 0;
        move('closed');
        return result;
      } catch (error) {
        if (isFailure(error)) {
          failures++;
          if (trial || failures >= options.failureThreshold) {
            openedAt = now();
            move('open');
          }
        } else if (trial) {
          // The panel answered (e.g. 404): it is reachable again.
          failures = 0;
          move('closed');
        }
        throw error;
      } finally {
        if (trial) trialInFlight = false;
      }
    },
    reset() {
      failures = 0;
      trialInFlight = false;
      move('closed');
    },
  };
}

/** One breaker per server id, created on first use with the same options. */
export interface BreakerRegistry {
  get(serverId: string | number): CircuitBreaker;
}

export function createBreakerRegistry(options: Omit<CircuitBreakerOptions, 'name'> = DEFAULT_BREAKER): BreakerRegistry {
  const breakers = new Map<string, CircuitBreaker>();
  return {
    get(serverId) {
      const key = String(serverId);
      let breaker = breakers.get(key);
      if (!breaker) {
        breaker = createCircuitBreaker({
          ...options,
          name: `server ${key}`,
          onStateChange: (state, previous) => {
            // `panel_circuit_open`: the "panel down" alert.
            metrics.panelCircuitOpen.set({ server: key }, state === 'open' ? 1 : 0);
            options.onStateChange?.(state, previous);
          },
        });
        breakers.set(key, breaker);
      }
      return breaker;
    },
  };
}
