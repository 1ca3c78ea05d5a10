import type { Context, MiddlewareFn } from 'grammy';

/**
 * Makes sure every button press is answered exactly once (Telegram keeps the button spinning
 * until it is, and refuses a second answer): handlers that show a toast answer themselves, the
 * rest are answered here after they ran.
 */
export function answerCallbackMiddleware<C extends Context>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    let answered = false;
    const answer = ctx.answerCallbackQuery.bind(ctx);
    ctx.answerCallbackQuery = (...args: Parameters<typeof answer>) => {
      if (answered) return Promise.resolve(true);
      answered = true;
      return answer(...args);
    };
    try {
      await next();
    } finally {
      if (!answered) {
        answered = true;
        await answer().catch(() => undefined);
      }
    }
  };
}
