import type { Context, MiddlewareFn } from 'grammy';
import type { KitFlavor } from '../context.js';
import type { RateLimiter, RateLimitResult, RateLimitRule } from './rate-limiter.js';

export interface RateLimitMiddlewareOptions {
  limiter: RateLimiter;
  /** Counts are kept per user per bucket: `general`, `expensive`, or a bucket of your own. */
  bucket: string;
  rule: RateLimitRule;
  /**
   * `every`: reply to each refused update with the seconds to wait (expensive actions: the user
   * asked for something specific). `once`: reply to the first refused message of a window only
   * (the general limit: a flood must not make the bot flood back).
   */
  replies: 'every' | 'once';
}

/**
 * Refuses an update politely when its user is over `rule` in `bucket`, instead of running what
 * follows. A refused callback query is always answered (with the polite text as a toast), so the
 * button does not keep spinning; Telegram allows about 15 s to answer one.
 * Usable in front of a single handler: `bot.callbackQuery('pay', expensive, pay)`.
 */
export function rateLimitMiddleware<C extends Context & KitFlavor>(options: RateLimitMiddlewareOptions): MiddlewareFn<C> {
  const { limiter, bucket, rule } = options;
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    if (userId === undefined) return next();
    const result = await limiter.hit(bucket, userId, rule);
    if (result.allowed) return next();
    await refuse(ctx, options, result);
  };
}

/**
 * The same limit split in two, for a bot whose updates wait in a per-chat queue (sequentialize):
 * `count` goes in front of the queue and counts each update the moment it arrives, `refuse` goes
 * after the session and i18n (its polite reply needs `ctx.t`) and stops what was over the limit.
 * Counted after the queue, a burst held behind one slow handler would be counted only when its
 * turn came, spread over later windows, and slip through.
 */
export function arrivalRateLimit<C extends Context & KitFlavor>(
  options: RateLimitMiddlewareOptions & { skip?: (ctx: C) => boolean },
): { count: MiddlewareFn<C>; refuse: MiddlewareFn<C> } {
  const { limiter, bucket, rule } = options;
  const verdicts = new WeakMap<object, RateLimitResult>();
  return {
    count: async (ctx, next) => {
      const userId = ctx.from?.id;
      if (userId !== undefined && !options.skip?.(ctx)) verdicts.set(ctx, await limiter.hit(bucket, userId, rule));
      return next();
    },
    refuse: async (ctx, next) => {
      const result = verdicts.get(ctx);
      if (!result || result.allowed) return next();
      await refuse(ctx, options, result);
    },
  };
}

async function refuse<C extends Context & KitFlavor>(ctx: C, options: RateLimitMiddlewareOptions, result: RateLimitResult): Promise<void> {
  const { bucket, rule, replies } = options;
  const seconds = Math.max(1, Math.ceil(result.resetMs / 1000));
  ctx.logger.info({ bucket, count: result.count, retry_in_s: seconds }, 'rate limited');
  const text = replies === 'every' ? ctx.t('common.rateLimit.wait', { count: seconds }) : ctx.t('common.rateLimit.tooFast');
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
  else if (ctx.chat && (replies === 'every' || result.count === rule.limit + 1)) await ctx.reply(text);
}
