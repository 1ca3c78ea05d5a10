import { GrammyError, type Context } from 'grammy';
import type { InlineKeyboardMarkup, LinkPreviewOptions } from 'grammy/types';
import { classifyTelegramError } from '../errors/error-policy.js';

export interface EditOrReplyOptions {
  /** Only inline keyboards: an edited message cannot carry a reply keyboard. */
  reply_markup?: InlineKeyboardMarkup;
  link_preview_options?: LinkPreviewOptions;
}

/**
 * Shows `text` (at most 4096 characters, HTML) in place of the message whose button was pressed,
 * or sends it as a new message when there is nothing to edit: not a button press, the message is
 * gone, too old (48 h), or has no text (a photo). "Message is not modified" (the same text and
 * keyboard again) counts as done.
 */
export async function editOrReply(ctx: Context, text: string, options: EditOrReplyOptions = {}): Promise<void> {
  const message = ctx.callbackQuery?.message;
  // An inaccessible message (date 0) cannot be edited.
  if (message && message.date !== 0) {
    try {
      await ctx.editMessageText(text, options);
      return;
    } catch (err) {
      if (classifyTelegramError(err).kind === 'not-modified') return;
      // Any other 400 means this message cannot be edited: send a new one. Anything else
      // (blocked, network) would fail the reply too, so it goes to the error policy.
      if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
    }
  }
  await ctx.reply(text, options);
}
