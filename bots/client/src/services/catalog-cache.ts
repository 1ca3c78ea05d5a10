import type { FaqItem, Plan, Repositories } from '@vpn/db';

export interface CatalogCacheOptions {
  plans: Pick<Repositories['plans'], 'listActive' | 'get'>;
  faq: Pick<Repositories['faq'], 'listActive'>;
  /**
   * How long the plans and the FAQ are reused without asking PostgreSQL; default 30 s, so an
   * admin's change shows in every bot process within that. Checkout prices the payment from the
   * stored plan, never from here: a customer pays what the database says.
   */
  ttlMs?: number;
  now?: () => number;
}

/** What most screens show and only an admin changes: read once per `ttlMs` per process. */
export interface CatalogCache {
  /** The plans on sale, in display order. */
  plans(): Promise<Plan[]>;
  /** Any plan by id, also one no longer on sale (a customer's current plan). */
  plan(id: number): Promise<Plan | null>;
  /** The active FAQ items, in display order. */
  faq(): Promise<FaqItem[]>;
}

/**
 * A read-through cache in front of the plans and FAQ repositories. Concurrent misses share one
 * query, and a failed read is not kept (the next update asks again).
 */
export function createCatalogCache(options: CatalogCacheOptions): CatalogCache {
  const ttlMs = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = entries.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = load();
    entries.set(key, { at: now(), value });
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  }

  return {
    plans: () => cached('plans', () => options.plans.listActive()),
    plan: (id) => cached(`plan:${id}`, () => options.plans.get(id)),
    faq: () => cached('faq', () => options.faq.listActive()),
  };
}
