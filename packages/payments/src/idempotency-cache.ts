import { PaymentError, type ProviderName } from './provider.js';

interface Entry<T> {
  fingerprint: string;
  result: Promise<T>;
  expiresAt: number;
}

/**
 * Idempotency for providers that have no idempotency key (Crypto Pay): within one process, a
 * create repeated with the same key and the same request returns the first result — concurrent
 * repeats share one call — and the same key with a different request is refused, as YooKassa
 * does. A failed call is forgotten so it can be retried. It cannot see other processes: the
 * ledger's own idempotency stays the real guard.
 */
export class IdempotencyCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly provider: ProviderName,
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
  ) {}

  run(key: string, fingerprint: string, call: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const existing = this.entries.get(key);
    if (existing && existing.expiresAt > now) {
      if (existing.fingerprint !== fingerprint) {
        return Promise.reject(
          new PaymentError('rejected', `${this.provider}: idempotency key ${key} was used for a different request`, {
            provider: this.provider,
          }),
        );
      }
      return existing.result;
    }
    const result = call();
    this.entries.set(key, { fingerprint, result, expiresAt: now + this.ttlMs });
    result.catch(() => {
      if (this.entries.get(key)?.result === result) this.entries.delete(key);
    });
    // Maps iterate in insertion order: drop the oldest beyond the bound.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return result;
  }
}
