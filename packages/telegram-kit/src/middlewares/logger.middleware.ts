import type { Logger } from '@vpn/logger';
import type { Context, MiddlewareFn } from 'grammy';
import type { KitFlavor } from '../context.js';

/**
 * Puts a child logger on `ctx.logger` with the update id, user id and chat id, and logs how long
 * the update took at debug level.
 */
export function loggerMiddleware<C extends Context & Pick<KitFlavor, 'logger'>>(logger: Logger): MiddlewareFn<C> {
  return async (ctx, next) => {
    ctx.logger = logger.child({ update_id: ctx.update.update_id, user_id: ctx.from?.id, chat_id: ctx.chat?.id });
    const started = performance.now();
    await next();
    ctx.logger.debug({ ms: Math.round(performance.now() - started) }, 'update handled');
  };
}
