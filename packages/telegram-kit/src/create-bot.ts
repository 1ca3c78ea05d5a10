import { sequentialize } from '@grammyjs/runner';
import type { I18n, Language } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { Bot, type Context, type Middleware, type MiddlewareFn } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Redis } from 'ioredis';
import { apiClientOptions, DEFAULT_MAX_RETRY_AFTER_SECONDS, installApiDefaults, type ApiDefaultsOptions } from './api/api-defaults.js';
import { deferFloodWaitsMiddleware, type DeferredSend } from './api/defer-flood-waits.js';
import type { BotContext } from './context.js';
import { createBotErrorHandler } from './errors/error-boundary.js';
import { fallbackMiddleware } from './middlewares/fallback.middleware.js';
import { i18nMiddleware } from './middlewares/i18n.middleware.js';
import { InFlightUpdates } from './middlewares/in-flight.middleware.js';
import { updateMetricsMiddleware } from './metrics/update-metrics.middleware.js';
import { loggerMiddleware } from './middlewares/logger.middleware.js';
import { redisSession, type SessionConfig } from './middlewares/session.middleware.js';
import { arrivalRateLimit, rateLimitMiddleware } from './rate-limit/rate-limit.middleware.js';
import { createRateLimiter, EXPENSIVE_RULE, GENERAL_RULE, type RateLimiter, type RateLimitRule } from './rate-limit/rate-limiter.js';

type MaybePromise<T> = T | Promise<T>;

/** What a bot's features get from the kit when they are installed. */
export interface KitTools<C extends Context> {
  /** The limiter for expensive actions (payments, config/QR, trial): put it in front of their handlers. */
  expensive: MiddlewareFn<C>;
  /** Another limiter with its own bucket and rule. */
  limit: (bucket: string, rule: RateLimitRule) => MiddlewareFn<C>;
  limiter: RateLimiter;
}

export interface CreateBotDeps<S extends object, C extends BotContext<S>> {
  /** `TELEGRAM_API_ROOT`: the emulator in tests and the sandbox. Default Telegram's. */
  apiRoot?: string;
  /** The bot's own user; given, no `getMe` is needed (tests, faster start). */
  botInfo?: UserFromGetMe;
  logger: Logger;
  redis: Redis;
  i18n: I18n;
  /** This bot's Redis key prefix, e.g. `client:`. Sessions live under `<prefix>session:`, limits under `<prefix>rl:`. */
  prefix: string;
  session: SessionConfig<S>;
  /** Called with the user's Telegram id when Telegram says they blocked the bot (or deleted the account). */
  onUserBlockedBot?: (telegramId: number) => MaybePromise<void>;
  /** The user's stored language (database, session); `undefined` → from Telegram's `language_code`. */
  resolveLanguage?: (ctx: C) => MaybePromise<Language | undefined>;
  /** Persists `ctx.i18n.setLanguage(…)`. */
  saveLanguage?: (ctx: C, language: Language) => MaybePromise<void>;
  /** Per-user limits. Default: general 30 updates / 10 s, expensive 10 / 60 s. `general: false` turns it off. */
  rateLimit?: { general?: RateLimitRule | false; expensive?: RateLimitRule };
  /** Auto-retry and parse-mode defaults of the bot's API client. */
  api?: Omit<ApiDefaultsOptions, 'logger'>;
  /**
   * Where a handler's send goes when Telegram's flood wait is longer than `api.maxRetryAfterSeconds`
   * (the worker, as a job delayed by the wait). Without it such a send just fails.
   */
  deferSend?: (send: DeferredSend) => Promise<void>;
  /** The bot's features, in order; they receive the kit's limiters. */
  features?: (kit: KitTools<C>) => Middleware<C>[];
  /** What runs when no feature handled the update. Default: answer buttons, hint /start in private chats. */
  fallback?: Middleware<C> | false;
}

const inFlightByBot = new WeakMap<object, InFlightUpdates>();

/** The in-flight counter of a bot built by {@link createBot}, used by `startBot` to drain on stop. */
export function inFlightOf(bot: object): InFlightUpdates | undefined {
  return inFlightByBot.get(bot);
}

/**
 * Builds a bot with everything the three bots share, then the bot's own features. Nothing
 * connects here: the bot starts with `startBot`.
 */
export function createBot<S extends object, C extends BotContext<S> = BotContext<S>>(token: string, deps: CreateBotDeps<S, C>): Bot<C> {
  const bot = new Bot<C>(token, { botInfo: deps.botInfo, client: apiClientOptions(deps.apiRoot) });
  installApiDefaults(bot.api, { ...deps.api, logger: deps.logger });

  const limiter = createRateLimiter(deps.redis, deps.prefix, deps.logger);
  const limit = (bucket: string, rule: RateLimitRule) => rateLimitMiddleware<C>({ limiter, bucket, rule, replies: 'every' });
  const handleError = createBotErrorHandler<C>(deps);
  // Updates whose handling failed (caught by the boundary below), for the update metrics' outcome.
  const failed = new WeakSet<object>();
  const onError: typeof handleError = (err) => {
    failed.add(err.ctx);
    return handleError(err);
  };
  const inFlight = new InFlightUpdates();
  inFlightByBot.set(bot, inFlight);

  // 0. Count the update, so a shutdown can wait for it.
  bot.use(inFlight.middleware());
  // 0b. Count and time it by feature (outside the boundary, which reports failures through `failed`).
  bot.use(updateMetricsMiddleware<C>(failed));
  // 1. Error boundary: everything below runs inside it; one failing update is logged, the user
  //    gets a polite reply, and the bot (polling or webhook) carries on.
  const guarded = bot.errorBoundary(onError);
  // 2. A child logger per update.
  guarded.use(loggerMiddleware<C>(deps.logger));
  // 2b. The general per-user limit counts each update as it arrives, before the per-chat queue
  //     below: counted at its turn, a burst queued behind a slow handler would slip through. It
  //     refuses (step 6) once the reply can be translated. Payments and membership changes are
  //     never throttled.
  const general = deps.rateLimit?.general ?? GENERAL_RULE;
  const generalLimit =
    general === false ? undefined : arrivalRateLimit<C>({ limiter, bucket: 'general', rule: general, replies: 'once', skip: exempt });
  if (generalLimit) guarded.use(generalLimit.count);
  // 2c. A send that meets a flood wait longer than a handler waits goes to the worker (deferSend).
  if (deps.deferSend)
    guarded.use(deferFloodWaitsMiddleware<C>(deps.api?.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS, deps.deferSend));
  // 3. One update at a time per chat and per user: the runner handles updates concurrently, and a
  //    session read-modify-write must not interleave. Must come before the session.
  guarded.use(sequentialize<C>((ctx) => [ctx.chat?.id, ctx.from?.id].filter((id) => id !== undefined).map(String)));
  // 4. The session in Redis under this bot's prefix.
  guarded.use(redisSession<S, C>(deps.redis, deps.prefix, deps.session));
  // 5. ctx.t in the user's language (may read the session or the database).
  guarded.use(i18nMiddleware<C>(deps));
  // 6. Updates over the general limit (counted at arrival, 2b) stop here with one polite reply.
  if (generalLimit) guarded.use(generalLimit.refuse);
  // 7. The bot's features.
  const tools: KitTools<C> = { expensive: limit('expensive', deps.rateLimit?.expensive ?? EXPENSIVE_RULE), limit, limiter };
  for (const feature of deps.features?.(tools) ?? []) guarded.use(feature);
  // 8. The fallback, last.
  if (deps.fallback !== false) guarded.use(deps.fallback ?? fallbackMiddleware<C>());

  // A safety net for errors outside the boundary (none expected).
  bot.catch(onError);
  return bot;
}

/** Updates the general limit never refuses: a refused pre-checkout query would fail a payment. */
function exempt(ctx: Context): boolean {
  return Boolean(ctx.preCheckoutQuery ?? ctx.myChatMember ?? ctx.message?.successful_payment);
}
