/**
 * Telegram's flood limits, modelled as token buckets. Telegram does not publish an algorithm,
 * only "about 30 messages per second" per bot, "no more than one message per second" in a private
 * chat (short bursts are tolerated) and "no more than 20 messages per minute" in a group. A bucket
 * holds `burst` tokens and refills at `perSecond`; a message needs a token from every bucket it
 * touches (the bot's global bucket and the chat's), and none is taken unless all have one.
 */
export interface BucketConfig {
  /** Tokens available at once: how many messages may go out back to back. */
  burst: number;
  /** Refill rate in tokens per second. */
  perSecond: number;
}

export interface RateLimitConfig {
  /** Per bot, all chats together. Telegram: ~30/s. */
  global: BucketConfig;
  /** Per bot and private chat. Telegram: 1/s with short bursts (we allow 3). */
  privateChat: BucketConfig;
  /** Per bot and group/supergroup. Telegram: 20/min. */
  group: BucketConfig;
}

export const TELEGRAM_RATE_LIMITS: RateLimitConfig = {
  global: { burst: 30, perSecond: 30 },
  privateChat: { burst: 3, perSecond: 1 },
  group: { burst: 20, perSecond: 20 / 60 },
};

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfter: number };

export class RateLimiter {
  private config: RateLimitConfig | undefined;
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    config: Partial<RateLimitConfig> | false = TELEGRAM_RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.configure(config);
  }

  /** `false` turns limiting off; a partial config overrides Telegram's values per bucket kind. */
  configure(config: Partial<RateLimitConfig> | false): void {
    this.config = config === false ? undefined : { ...TELEGRAM_RATE_LIMITS, ...config };
    this.buckets.clear();
  }

  get current(): RateLimitConfig | false {
    return this.config ?? false;
  }

  /** Takes one token for a message from `botId` to `chatId`, or says how long to wait (whole seconds, ≥ 1). */
  take(botId: number, chatId: number, chatKind: 'private' | 'group'): RateDecision {
    const config = this.config;
    if (!config) return { ok: true };
    const chatConfig = chatKind === 'private' ? config.privateChat : config.group;
    const parts: [string, BucketConfig][] = [
      [`g:${botId}`, config.global],
      [`c:${botId}:${chatId}`, chatConfig],
    ];
    const now = this.now();
    let waitMs = 0;
    const filled = parts.map(([key, cfg]) => {
      const bucket = this.refill(key, cfg, now);
      if (bucket.tokens < 1) waitMs = Math.max(waitMs, ((1 - bucket.tokens) / cfg.perSecond) * 1000);
      return bucket;
    });
    if (waitMs > 0) return { ok: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
    for (const bucket of filled) bucket.tokens -= 1;
    return { ok: true };
  }

  private refill(key: string, cfg: BucketConfig, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: cfg.burst, updatedAt: now };
    bucket.tokens = Math.min(cfg.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * cfg.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  reset(): void {
    this.buckets.clear();
  }
}
