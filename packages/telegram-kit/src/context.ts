import type { I18n, Language, Translate } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import type { Context, SessionFlavor } from 'grammy';

/** What the kit's i18n middleware puts on `ctx.i18n`. */
export interface I18nControl {
  /** The language of this update's replies. */
  readonly language: Language;
  /** Switches the language for the rest of the update (ctx.t follows) and persists it via the bot's `saveLanguage` hook. */
  setLanguage(language: Language): Promise<void>;
}

/** The fields the kit adds to every context. */
export interface KitFlavor {
  /** A child logger for this update (`update_id`, `user_id`, `chat_id` on every line). */
  logger: Logger;
  /** Translates into the user's language; values are HTML-escaped for Telegram's HTML parse mode. */
  t: Translate;
  i18n: I18nControl;
}

/**
 * The context every bot handler receives: grammY's `Context`, a session of the bot's own shape
 * `S` (stored in Redis under the bot's prefix), a per-update logger and translation.
 * A bot adds its own flavors on top (menus, conversations): `BotContext<S> & MenuFlavor`.
 */
export type BotContext<S extends object = Record<string, never>> = Context & SessionFlavor<S> & KitFlavor;

/** A context before the kit's middleware ran: what the error policy may safely assume. */
export type PartialKitContext = Context & Partial<KitFlavor>;

/** `t` for a context whether or not the i18n middleware reached it (errors can happen before it). */
export function translatorFor(ctx: PartialKitContext, i18n: I18n): Translate {
  return ctx.t ?? i18n.forLanguage(i18n.resolveLanguage(ctx.from?.language_code));
}
