import type { Context, MiddlewareFn } from 'grammy';
import type { KitFlavor } from '../context.js';

/**
 * The last middleware: what no feature handled. A button press is answered (so it stops
 * spinning; often an old menu after a restart), a private message gets a hint to /start. Groups
 * are left alone: the support bot's forum sees plenty of chatter that is not for it.
 */
export function fallbackMiddleware<C extends Context & KitFlavor>(): MiddlewareFn<C> {
  return async (ctx) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    else if (ctx.chat?.type === 'private' && ctx.message) await ctx.reply(ctx.t('common.fallback.unknown'));
    else ctx.logger.debug('update not handled');
  };
}
