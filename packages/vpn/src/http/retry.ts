import { PanelError } from '../adapter.js';
import { deadlineRemainingMs } from './deadline.js';

/** How hard to try again. Delays follow exponential backoff with "full jitter". */
export interface RetryOptions {
  /** Total attempts including the first (1 = no retry). */
  attempts: number;
  /** Upper bound of the first back-off window. */
  baseDelayMs: number;
  /** Cap of any single back-off window. */
  maxDelayMs: number;
  /**
   * Whether a failed attempt may be repeated. Defaults to {@link isRetryableError}: PanelErrors
   * that say so, except `circuit_open` (the breaker already decided; the queue retries later).
   */
  isRetryable?: (error: unknown) => boolean;
  /** Called before each back-off, e.g. to log. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests; returns [0, 1). */
  random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

/** Transport and 5xx failures may be retried; a breaker that is open may not (fail fast). */
export function isRetryableError(error: unknown): boolean {
  return error instanceof PanelError && error.retryable && error.code !== 'circuit_open';
}

/**
 * The back-off before attempt `attempt + 1` (attempt counts from 1): a uniform random value in
 * [0, min(max, base·2^(attempt-1))). Full jitter spreads the retries of many workers hitting the
 * same recovering panel (AWS architecture blog, "Exponential Backoff And Jitter").
 */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const window = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor((options.random ?? Math.random)() * window);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, the error is not retryable, or attempts run out; rethrows the last
 * error. Only wrap operations that are safe to repeat (idempotent): a retried non-idempotent call
 * can apply twice when the first answer was lost.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  const isRetryable = options.isRetryable ?? isRetryableError;
  const sleep = options.sleep ?? defaultSleep;
  const attempts = Math.max(1, Math.floor(options.attempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      const delayMs = backoffDelay(attempt, options);
      // A deadline that would pass while sleeping leaves no time for another attempt.
      const left = deadlineRemainingMs();
      if (left !== undefined && left <= delayMs) throw error;
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
