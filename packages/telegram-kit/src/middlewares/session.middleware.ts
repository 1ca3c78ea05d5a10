import { RedisAdapter } from '@grammyjs/storage-redis';
import { session, type Context, type MiddlewareFn, type SessionFlavor, type StorageAdapter } from 'grammy';
import type { Redis } from 'ioredis';

export interface SessionConfig<S> {
  /** A fresh session for a chat that has none (called per chat, so return a new object). */
  initial: () => S;
  /** Forget idle sessions after this many seconds. Default: keep forever. */
  ttlSeconds?: number;
  /** Default: per chat (grammY's default). Return `undefined` for updates that have no session. */
  getSessionKey?: (ctx: Omit<Context, 'session'>) => string | undefined;
}

/**
 * Sessions in Redis under `<prefix>session:<key>`. `@grammyjs/storage-redis` has no key prefix of
 * its own, so grammY's `prefix` option gives each bot its own key space in a shared Redis.
 */
export function redisSession<S, C extends Context & SessionFlavor<S>>(
  redis: Redis,
  prefix: string,
  config: SessionConfig<S>,
): MiddlewareFn<C> {
  const storage = new RedisAdapter<S>({ instance: redis, ttl: config.ttlSeconds });
  return session<S, C>({
    initial: config.initial,
    // Without a TTL an unchanged session need not be written back (with one, the write is what
    // keeps an active session alive).
    storage: config.ttlSeconds === undefined ? skipUnchangedWrites(storage) : storage,
    prefix: `${prefix}session:`,
    getSessionKey: config.getSessionKey,
  });
}

/**
 * grammY writes a session back after every update that read it, changed or not: one Redis SET
 * per button press for nothing. This remembers what was read for a key and drops a write of the
 * same value. One update per key runs at a time (`sequentialize` comes before the session), so
 * the read and the write of a key pair up; an update that fails before its write leaves one
 * entry, replaced by the next read of that key.
 */
export function skipUnchangedWrites<T>(inner: StorageAdapter<T>): StorageAdapter<T> {
  const read = new Map<string, string>();
  return {
    async read(key) {
      const value = await inner.read(key);
      if (value === undefined) read.delete(key);
      else read.set(key, JSON.stringify(value));
      return value;
    },
    async write(key, value) {
      const before = read.get(key);
      read.delete(key);
      if (before !== undefined && before === JSON.stringify(value)) return;
      await inner.write(key, value);
    },
    async delete(key) {
      read.delete(key);
      await inner.delete(key);
    },
  };
}
