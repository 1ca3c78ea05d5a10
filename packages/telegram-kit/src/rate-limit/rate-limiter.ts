import type { Logger } from '@vpn/logger';
import type { Redis } from 'ioredis';

/** At most `limit` hits per `windowMs` for one user in one bucket. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** Keeps menus responsive: 30 updates per 10 seconds per user. */
export const GENERAL_RULE: RateLimitRule = { limit: 30, windowMs: 10_000 };
/** The seeds' limit for expensive actions (payments, config and QR generation, trial): 10 per minute. */
export const EXPENSIVE_RULE: RateLimitRule = { limit: 10, windowMs: 60_000 };

// INCR and the expiry in one step: the window starts at a user's first hit, and a key can never
// be left without an expiry (which would block the user forever).
const FIXED_WINDOW = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;

const RATE_LIMIT_COMMAND = 'vpnRateLimitHit';

export interface RateLimiter {
  /** Counts one hit of `userId` in `bucket` and says whether it is within `rule`. */
  hit(bucket: string, userId: number, rule: RateLimitRule): Promise<RateLimitResult>;
  /** Forgets a user's hits in a bucket (an admin's "unthrottle", tests). */
  reset(bucket: string, userId: number): Promise<void>;
}

/**
 * A fixed-window rate limiter in Redis, keyed `<prefix>rl:<bucket>:<userId>`. Fails open: if Redis
 * is unreachable the hit is allowed and logged, because refusing every user is worse than letting
 * a burst through.
 */
export function createRateLimiter(redis: Redis, prefix: string, logger?: Logger): RateLimiter {
  const key = (bucket: string, userId: number) => `${prefix}rl:${bucket}:${userId}`;
  // A defined command is sent as EVALSHA (ioredis loads the script on NOSCRIPT): the script's text
  // is not sent and hashed again with every update.
  if (!(RATE_LIMIT_COMMAND in redis)) redis.defineCommand(RATE_LIMIT_COMMAND, { numberOfKeys: 1, lua: FIXED_WINDOW });
  const command = (redis as unknown as Record<typeof RATE_LIMIT_COMMAND, (key: string, windowMs: number) => Promise<[number, number]>>)[
    RATE_LIMIT_COMMAND
  ].bind(redis);
  return {
    async hit(bucket, userId, rule) {
      try {
        const [count, resetMs] = await command(key(bucket, userId), rule.windowMs);
        return { allowed: count <= rule.limit, count, resetMs };
      } catch (err) {
        logger?.warn({ err, bucket, user_id: userId }, 'rate limiter unavailable, allowing the update');
        return { allowed: true, count: 0, resetMs: 0 };
      }
    },
    async reset(bucket, userId) {
      await redis.del(key(bucket, userId));
    },
  };
}
