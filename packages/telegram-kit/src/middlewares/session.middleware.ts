import { RedisAdapter } from '@grammyjs/storage-redis';
import { session, type Context, type MiddlewareFn, type SessionFlavor } from 'grammy';
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
  return session<S, C>({
    initial: config.initial,
    storage: new RedisAdapter<S>({ instance: redis, ttl: config.ttlSeconds }),
    prefix: `${prefix}session:`,
    getSessionKey: config.getSessionKey,
  });
}
