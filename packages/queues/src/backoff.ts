/**
 * The `capped` backoff: exponential (base · 2^(n-1)) up to a ceiling, with ±10 % jitter so replicas
 * retrying the same panel do not stampede in step. An error that says it is not worth retrying
 * (`retryable === false`, or a {@link PermanentJobError}) stops the retries at once.
 */
export interface CappedBackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** Thrown by a processor when retrying cannot help (bad payload, user blocked the bot, unknown row). */
export class PermanentJobError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly reason: string = 'permanent',
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** True when an error declares that another attempt cannot succeed. */
export function isPermanent(err: unknown): boolean {
  if (err instanceof PermanentJobError) return true;
  return typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === false;
}

/** `scale` shrinks every delay (tests use 0.01 so a ten-step retry ladder takes milliseconds). */
export function cappedBackoff(scale = 1) {
  return (attemptsMade: number, err: unknown, options?: Partial<CappedBackoffOptions> | null): number => {
    if (isPermanent(err)) return -1;
    const base = options?.baseMs ?? 1_000;
    const max = options?.maxMs ?? 5 * 60_000;
    const raw = Math.min(max, base * 2 ** Math.max(0, attemptsMade - 1));
    const jitter = 0.9 + Math.random() * 0.2;
    return Math.max(1, Math.round(raw * jitter * scale));
  };
}

/** Job options for the capped strategy. */
export function capped(baseMs: number, maxMs: number): { type: string; options: CappedBackoffOptions } {
  return { type: 'capped', options: { baseMs, maxMs } };
}
