/**
 * Telegram's flood limits, modelled as token buckets. Telegram does not publish an algorithm,
 * only "about 30 messages per second" per bot, "no more than one message per second" in a private
 * chat (short bursts are tolerated) and "no more than 20 messages per minute" in a group. A bucket
 * holds `burst` tokens and refills at `perSecond`; a message needs a token from every bucket it
 * touches (the bot's global bucket and the chat's), and none is taken unless all have one.
 *
 * A message sent with `allow_paid_broadcast` takes a free global token when there is one and
 * otherwise a token from the paid bucket (1000/s), which costs 0.1 Star; the chat's own limit
 * still holds.
 */
export interface BucketConfig {
  /** Tokens available at once: how many messages may go out back to back. */
  burst: number;
  /** Refill rate in tokens per second. */
  perSecond: number;
  /**
   * Seconds of flood wait once the bucket is overrun. Real Telegram answers a bulk sender's
   * overrun with waits of several to tens of seconds, and refuses every message touching the
   * bucket until they are over. Absent: just until a token is back (whole seconds, ≥ 1).
   */
  retryAfter?: number;
}

export interface RateLimitConfig {
  /** Per bot, all chats together. Telegram: ~30/s. */
  global: BucketConfig;
  /** Per bot and private chat. Telegram: 1/s with short bursts (we allow 3). */
  privateChat: BucketConfig;
  /** Per bot and group/supergroup. Telegram: 20/min. */
  group: BucketConfig;
  /** Per bot, messages with `allow_paid_broadcast` beyond the free global rate. Telegram: 1000/s. */
  paidBroadcast: BucketConfig;
  /** Per bot and group: message edits (edit* methods, editForumTopic). Reported: about 20/min. */
  groupEdits: BucketConfig;
}

export const TELEGRAM_RATE_LIMITS: RateLimitConfig = {
  global: { burst: 30, perSecond: 30, retryAfter: 5 },
  privateChat: { burst: 3, perSecond: 1, retryAfter: 8 },
  group: { burst: 20, perSecond: 20 / 60, retryAfter: 30 },
  paidBroadcast: { burst: 1000, perSecond: 1000 },
  groupEdits: { burst: 20, perSecond: 20 / 60, retryAfter: 30 },
};

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** A flood wait in force until this time (ms). */
  blockedUntil: number;
}

/** `paid`: the message used a paid-broadcast token (0.1 Star). */
export type RateDecision = { ok: true; paid: boolean } | { ok: false; retryAfter: number };

type Part = [key: string, cfg: BucketConfig];

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

  /**
   * Takes the tokens for `count` messages (default 1; all or none, as `copyMessages` posts its
   * copies together) from `botId` to `chatId`, or says how long to wait (whole seconds, ≥ 1).
   * With `paid`, an empty global bucket is replaced by the paid-broadcast bucket. `edit` counts a
   * group edit, against the group's edit bucket only.
   */
  take(
    botId: number,
    chatId: number,
    chatKind: 'private' | 'group' | 'edit',
    options: { paid?: boolean; count?: number } = {},
  ): RateDecision {
    const config = this.config;
    if (!config) return { ok: true, paid: false };
    const count = options.count ?? 1;
    const now = this.now();
    if (chatKind === 'edit') {
      const edits: Part = [`e:${botId}:${chatId}`, config.groupEdits];
      if (this.wait(edits, now, count) > 0) return this.refuse([edits], now, count);
      this.bucket(...edits, now).tokens -= count;
      return { ok: true, paid: false };
    }
    const chat: Part = [`c:${botId}:${chatId}`, chatKind === 'private' ? config.privateChat : config.group];
    const free: Part = [`g:${botId}`, config.global];
    const paid: Part = [`p:${botId}`, config.paidBroadcast];
    // A paid message costs nothing while the free rate has room.
    const global = options.paid && this.wait(free, now, count) > 0 ? paid : free;
    const parts = [global, chat];
    if (parts.some((part) => this.wait(part, now, count) > 0)) return this.refuse(parts, now, count);
    for (const [key, cfg] of parts) this.bucket(key, cfg, now).tokens -= count;
    return { ok: true, paid: global === paid };
  }

  /** Turns a refusal into Telegram's answer, starting the flood wait of each overrun bucket. */
  private refuse(parts: Part[], now: number, count: number): RateDecision {
    let waitMs = 0;
    for (const part of parts) {
      const ms = this.wait(part, now, count);
      if (ms <= 0) continue;
      const [key, cfg] = part;
      const bucket = this.bucket(key, cfg, now);
      if (cfg.retryAfter !== undefined && bucket.blockedUntil <= now) bucket.blockedUntil = now + cfg.retryAfter * 1000;
      waitMs = Math.max(waitMs, this.wait(part, now, count));
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Milliseconds until this bucket lets a message through (0: now). */
  private wait([key, cfg]: Part, now: number, count = 1): number {
    const bucket = this.bucket(key, cfg, now);
    const blocked = Math.max(0, bucket.blockedUntil - now);
    const empty = bucket.tokens < count ? ((count - bucket.tokens) / cfg.perSecond) * 1000 : 0;
    return Math.max(blocked, empty);
  }

  private bucket(key: string, cfg: BucketConfig, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: cfg.burst, updatedAt: now, blockedUntil: 0 };
    bucket.tokens = Math.min(cfg.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * cfg.perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  reset(): void {
    this.buckets.clear();
  }
}
