import type { I18n, Language } from '@vpn/i18n';
import type { Context, MiddlewareFn } from 'grammy';
import type { KitFlavor } from '../context.js';

type MaybePromise<T> = T | Promise<T>;

export interface I18nMiddlewareOptions<C> {
  i18n: I18n;
  /** The user's stored choice (database, session); `undefined` falls back to Telegram's `language_code`. */
  resolveLanguage?: (ctx: C) => MaybePromise<Language | undefined>;
  /** Persists a choice made with `ctx.i18n.setLanguage`. */
  saveLanguage?: (ctx: C, language: Language) => MaybePromise<void>;
}

/** Binds `ctx.t` to the user's language and exposes `ctx.i18n.language` / `setLanguage`. */
export function i18nMiddleware<C extends Context & KitFlavor>(options: I18nMiddlewareOptions<C>): MiddlewareFn<C> {
  const { i18n, resolveLanguage, saveLanguage } = options;
  return async (ctx, next) => {
    let language = (await resolveLanguage?.(ctx)) ?? i18n.resolveLanguage(ctx.from?.language_code);
    ctx.t = i18n.forLanguage(language);
    ctx.i18n = {
      get language() {
        return language;
      },
      setLanguage: async (next) => {
        language = next;
        ctx.t = i18n.forLanguage(next);
        await saveLanguage?.(ctx, next);
      },
    };
    await next();
  };
}
