import type { Context, MiddlewareFn } from 'grammy';

/** How long a handler may work before its press is answered without a toast (Telegram drops answers after 15 s). */
export const ANSWER_DEADLINE_MS = 3_000;
/** How long an edit may take before the press is answered anyway (longer means a flood wait or a slow network). */
export const EDIT_GRACE_MS = 500;

const EDITS = new Set(['editMessageText', 'editMessageCaption', 'editMessageReplyMarkup', 'editMessageMedia']);
const NOT_MODIFIED = 'message is not modified';

export interface AnswerCallbackOptions<C extends Context> {
  /** The toast for a press whose edit changed nothing (a refresh with nothing new), in the customer's language. */
  nothingChanged?: (ctx: C) => string;
  deadlineMs?: number;
  editGraceMs?: number;
}

/**
 * Makes sure every button press is answered exactly once, and early: Telegram keeps the button
 * spinning until it is, drops an answer after about 15 s, and refuses a second one. A handler that
 * shows a toast answers itself. Otherwise the press is answered (without a toast) before the
 * update's first other Bot API call, so a flood wait on a send never holds the spinner; an edit
 * gets {@link EDIT_GRACE_MS} first, so that an edit Telegram refuses as "message is not modified"
 * (a refresh with nothing new, which would otherwise look like a dead button) is answered with the
 * `nothingChanged` toast. Slow work is cut short after {@link ANSWER_DEADLINE_MS}.
 */
export function answerCallbackMiddleware<C extends Context>(options: AnswerCallbackOptions<C> = {}): MiddlewareFn<C> {
  const grace = options.editGraceMs ?? EDIT_GRACE_MS;
  return async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    let answered: Promise<unknown> | undefined;
    const answer = ctx.answerCallbackQuery.bind(ctx);
    ctx.answerCallbackQuery = (...args: Parameters<typeof answer>) => {
      if (answered) return Promise.resolve(true);
      const sent = answer(...args);
      answered = sent.catch(() => undefined);
      return sent;
    };
    const answerWith = (text?: string): Promise<unknown> => (answered ??= answer(text ? { text } : undefined).catch(() => undefined));
    // ctx.api is this update's own client: the transformer sees only this handler's calls.
    ctx.api.config.use(async (prev, method, payload, signal) => {
      if (method === 'answerCallbackQuery' || answered) return prev(method, payload, signal);
      if (!EDITS.has(method)) {
        await answerWith();
        return prev(method, payload, signal);
      }
      const call = prev(method, payload, signal);
      const settled = await Promise.race([
        call.then(
          (result) => ({ result }),
          () => ({ result: undefined }),
        ),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), grace)),
      ]);
      const unchanged = settled?.result?.ok === false && settled.result.description.includes(NOT_MODIFIED);
      await answerWith(unchanged ? options.nothingChanged?.(ctx) : undefined);
      return call;
    });
    const timer = setTimeout(() => void answerWith(), options.deadlineMs ?? ANSWER_DEADLINE_MS);
    try {
      await next();
    } finally {
      clearTimeout(timer);
      await answerWith();
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
