import type { Context, MiddlewareFn } from 'grammy';

/**
 * Counts updates being handled so a shutdown can wait for them. The runner's `stop()` only stops
 * fetching, and a webhook server's `close()` only stops accepting: neither waits for middleware
 * that is still running, so the kit counts it itself.
 */
export class InFlightUpdates {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  middleware<C extends Context>(): MiddlewareFn<C> {
    return async (_ctx, next) => {
      this.count++;
      try {
        await next();
      } finally {
        this.count--;
        if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
      }
    };
  }

  /** Resolves `true` once nothing is in flight, or `false` after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = new Promise<boolean>((resolve) => this.waiters.push(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([drained, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
