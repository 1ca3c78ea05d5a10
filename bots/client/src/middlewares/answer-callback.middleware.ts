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

/** Menu-plugin data is `<id>/<row hex>/<col hex>/<payload>/<h|f><hash>`; anything else with a slash is forged. */
const MENU_DATA = /^[a-z]{1,4}\/[0-9a-f]{1,2}\/[0-9a-f]{1,2}\/[^/]{0,40}\/[hf]/s;

/** True for callback data that pretends to be a menu button but could never have been one. */
export function isForgedMenuData(ctx: Context): boolean {
  const data = ctx.callbackQuery?.data;
  return data !== undefined && data.includes('/') && !MENU_DATA.test(data);
}

/** What forged menu data is replaced with: no menu, codec or handler matches it, so the fallback answers. */
export const FORGED_DATA = 'forged';

/**
 * The menu plugin trusts the row/column in menu-shaped data (`m/zz/0/…` makes it index with NaN
 * and throw). Such data is logged and replaced before the menus see it; the menu middleware must
 * still run for every update, because it is also what renders menus in replies.
 */
export function forgedMenuGuard<C extends Context & { logger: { warn: (o: object, m: string) => void } }>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    if (ctx.callbackQuery && isForgedMenuData(ctx)) {
      ctx.logger.warn({ data: ctx.callbackQuery.data?.slice(0, 64) }, 'forged menu button data');
      ctx.callbackQuery.data = FORGED_DATA;
    }
    await next();
  };
}
