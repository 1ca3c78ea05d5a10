import { lazyChild, type Logger } from '@vpn/logger';
import type { Context, MiddlewareFn } from 'grammy';
import type { KitFlavor } from '../context.js';

/**
 * Puts a logger on `ctx.logger` whose lines carry the update id, user id and chat id, and logs
 * how long the update took at debug level.
 */
export function loggerMiddleware<C extends Context & Pick<KitFlavor, 'logger'>>(logger: Logger): MiddlewareFn<C> {
  return async (ctx, next) => {
    // Made on first use: most updates log nothing (see lazyChild).
    ctx.logger = lazyChild(logger, () => ({ update_id: ctx.update.update_id, user_id: ctx.from?.id, chat_id: ctx.chat?.id }));
    if (!logger.isLevelEnabled('debug')) return next();
    const started = performance.now();
    await next();
    ctx.logger.debug({ ms: Math.round(performance.now() - started) }, 'update handled');
  };
}
