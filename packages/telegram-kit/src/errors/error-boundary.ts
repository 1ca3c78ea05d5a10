import type { I18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import type { BotError, Context } from 'grammy';
import { translatorFor, type PartialKitContext } from '../context.js';
import { handleTelegramError, type TelegramErrorKind, type TelegramErrorPolicyDeps } from './error-policy.js';

/** Failures the user should hear about; the others are either harmless or make a reply pointless. */
const REPLY_ON: ReadonlySet<TelegramErrorKind> = new Set(['api', 'network', 'internal']);

export interface BotErrorHandlerDeps extends TelegramErrorPolicyDeps {
  i18n: I18n;
}

/**
 * The handler for the kit's error boundary and `bot.catch`: applies the Telegram error policy with
 * the update's logger and, for a real failure in an update with a chat, tells the user politely
 * ("something went wrong, we are on it") in their language. Never throws: one bad update must not
 * stop the bot.
 */
export function createBotErrorHandler<C extends Context>(deps: BotErrorHandlerDeps): (err: BotError<C>) => Promise<void> {
  return async (err) => {
    const ctx: PartialKitContext = err.ctx;
    const logger = ctx.logger ?? deps.logger.child({ update_id: ctx.update.update_id });
    const info = await handleTelegramError(err, { logger, onUserBlockedBot: deps.onUserBlockedBot });
    if (!REPLY_ON.has(info.kind)) return;
    const text = translatorFor(ctx, deps.i18n)('common.errors.generic');
    await replyPolitely(ctx, text, logger);
  };
}

async function replyPolitely(ctx: Context, text: string, logger: Logger): Promise<void> {
  try {
    if (ctx.callbackQuery && (await answeredQuery(ctx, text))) return;
    if (ctx.chat) await ctx.reply(text);
  } catch (replyError) {
    logger.warn({ err: replyError }, 'could not tell the user about the error');
  }
}

/** A toast on the pressed button; `false` when the query was already answered or is too old. */
async function answeredQuery(ctx: Context, text: string): Promise<boolean> {
  try {
    await ctx.answerCallbackQuery({ text });
    return true;
  } catch {
    return false;
  }
}
