/**
 * A map whose entries expire `ttlMs` after they were set, holding at most `maxEntries`. Entries
 * stay in insertion order, oldest first, so each `set` drops the expired ones at the front (and
 * the oldest beyond the cap): a cache holds the last `ttlMs` of customers, not every one seen
 * since start, which is what the process's heap limit (start:prod) is sized for.
 */
export interface TtlMap<K, V> {
  /** The live value, else undefined (an expired one is dropped). */
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): boolean;
  clear(): void;
  readonly size: number;
}

export function createTtlMap<K, V>(options: { ttlMs: number; maxEntries: number; now?: () => number }): TtlMap<K, V> {
  const now = options.now ?? Date.now;
  const entries = new Map<K, { value: V; at: number }>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (now() - hit.at < options.ttlMs) return hit.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value) {
      const at = now();
      entries.delete(key);
      entries.set(key, { value, at });
      for (const [k, entry] of entries) {
        if (at - entry.at < options.ttlMs && entries.size <= options.maxEntries) break;
        entries.delete(k);
      }
    },
    delete: (key) => entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

/**
 * Read-through over a map of promises: concurrent misses share one load, and a failed load is
 * not kept (the next caller loads again). A caller that deletes the key while the load is in
 * flight (an invalidation) keeps its result out of the map.
 */
export function readThrough<K, T>(map: TtlMap<K, Promise<unknown>>, key: K, load: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit) return hit as Promise<T>;
  const value = load();
  map.set(key, value);
  value.catch(() => {
    if (map.get(key) === value) map.delete(key);
  });
  return value;
}
