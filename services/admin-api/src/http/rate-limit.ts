import type { Redis } from 'ioredis';
import { ApiError } from './errors.js';

export interface RateRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * A fixed-window counter per key in Redis, shared by every replica of the API. Sign-ins are limited
 * per client address (guessing codes), writes per admin (a runaway script or a stolen session).
 */
export function createRateLimiter(redis: Redis, prefix: string) {
  return {
    async hit(bucket: string, key: string, rule: RateRule): Promise<void> {
      const window = Math.floor(Date.now() / 1000 / rule.windowSeconds);
      const redisKey = `${prefix}:rl:${bucket}:${key}:${window}`;
      const count = await redis.incr(redisKey);
      if (count === 1) await redis.expire(redisKey, rule.windowSeconds + 1);
      if (count > rule.limit) {
        const retryAfter = rule.windowSeconds - (Math.floor(Date.now() / 1000) % rule.windowSeconds);
        throw new ApiError(429, 'rate_limited', `too many requests; try again in ${retryAfter} s`, { 'Retry-After': String(retryAfter) });
      }
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

export const LOGIN_RATE: RateRule = { limit: 10, windowSeconds: 300 };
export const WRITE_RATE: RateRule = { limit: 60, windowSeconds: 60 };
