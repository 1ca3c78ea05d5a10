import type { FaqItem, Plan, Repositories } from '@vpn/db';
import { createTtlMap, readThrough } from './ttl-map.js';

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
  // A handful of keys (the plan list, the FAQ, one per plan id): the cap is never reached.
  const entries = createTtlMap<string, Promise<unknown>>({
    ttlMs: options.ttlMs ?? 30_000,
    maxEntries: 10_000,
    ...(options.now ? { now: options.now } : {}),
  });

  const cached = <T>(key: string, load: () => Promise<T>) => readThrough(entries, key, load);

  return {
    plans: () => cached('plans', () => options.plans.listActive()),
    plan: (id) => cached(`plan:${id}`, () => options.plans.get(id)),
    faq: () => cached('faq', () => options.faq.listActive()),
  };
}
