import { composeCaption, composeMessageText } from '../html/compose-text.js';
import type { StoredMessage } from '../state/chats.js';
import type { TgEntity, TgInlineKeyboard, TgMessage } from '../types.js';
import { chatForBot, enforceEditLimit, ownMessage } from './access.js';
import { mediaFor } from './media.js';
import { CAPTIONED, mediaKindOf } from './media-objects.js';
import type { FileKind } from '../state/files.js';
import { Params } from '../http/params.js';
import { unixNow, type MethodContext, type MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';
import { parseMarkup, sameMarkup } from './markup.js';

/** Finds the bot's own message named by chat_id + message_id (inline messages are not emulated). */
function target(ctx: MethodContext): StoredMessage {
  const { world, bot, params } = ctx;
  if (params.has('inline_message_id')) throw badRequest(TG.messageToEditNotFound);
  const conv = chatForBot(world, bot, params.chatId(), 'send');
  const stored = ownMessage(bot, conv, params.reqInt('message_id', 'message identifier is not specified'));
  enforceEditLimit(world, bot, conv);
  return stored;
}

/** Edits drop an inline keyboard that is not passed again, exactly like Telegram. */
function newInlineMarkup(ctx: MethodContext): TgInlineKeyboard | undefined {
  const markup = parseMarkup(ctx.params);
  if (markup?.other) throw badRequest('inline keyboard expected');
  return markup?.inline;
}

function sameEntities(a: TgEntity[] | undefined, b: TgEntity[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function apply(ctx: MethodContext, stored: StoredMessage, changes: Partial<TgMessage>, markup: TgInlineKeyboard | undefined): TgMessage {
  const message = stored.message;
  Object.assign(message, changes);
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete message[key];
  if (markup) message.reply_markup = markup;
  else delete message.reply_markup;
  message.edit_date = unixNow();
  ctx.world.events.emit({
    type: 'edit',
    botId: ctx.bot.id,
    chatId: message.chat.id,
    messageId: message.message_id,
    ...(message.message_thread_id === undefined ? {} : { threadId: message.message_thread_id }),
  });
  return structuredClone(message);
}

function editMessageText(ctx: MethodContext): TgMessage {
  const stored = target(ctx);
  const { params } = ctx;
  if (stored.message.text === undefined) throw badRequest('there is no text in the message to edit');
  const { text, entities } = composeMessageText(params.str('text'), params.str('parse_mode'), params.json<TgEntity[]>('entities'));
  const markup = newInlineMarkup(ctx);
  const m = stored.message;
  if (m.text === text && sameEntities(m.entities, entities) && sameMarkup(m.reply_markup, markup)) throw badRequest(TG.notModified);
  const preview = params.json<Record<string, unknown>>('link_preview_options');
  return apply(
    ctx,
    stored,
    {
      text,
      entities: entities.length > 0 ? entities : undefined,
      ...(preview ? { link_preview_options: preview } : {}),
    },
    markup,
  );
}

function editMessageCaption(ctx: MethodContext): TgMessage {
  const stored = target(ctx);
  const { params } = ctx;
  const m = stored.message;
  const kind = mediaKindOf(m);
  if (kind === undefined || !CAPTIONED.has(kind)) throw badRequest('there is no caption in the message to edit');
  const caption = composeCaption(params.str('caption'), params.str('parse_mode'), params.json<TgEntity[]>('caption_entities'));
  const markup = newInlineMarkup(ctx);
  if (m.caption === caption?.text && sameEntities(m.caption_entities, caption?.entities) && sameMarkup(m.reply_markup, markup)) {
    throw badRequest(TG.notModified);
  }
  const entities = caption && caption.entities.length > 0 ? caption.entities : undefined;
  return apply(ctx, stored, { caption: caption?.text, caption_entities: entities }, markup);
}

function editMessageReplyMarkup(ctx: MethodContext): TgMessage {
  const stored = target(ctx);
  const markup = newInlineMarkup(ctx);
  if (sameMarkup(stored.message.reply_markup, markup)) throw badRequest(TG.notModified);
  return apply(ctx, stored, {}, markup);
}

/** Kinds editMessageMedia accepts, as on Telegram (not stickers, voice or video notes). */
const EDITABLE_MEDIA = new Set(['animation', 'audio', 'document', 'photo', 'video']);

/** editMessageMedia: replaces the file (and caption) of a media message; a text message cannot become media. */
async function editMessageMedia(ctx: MethodContext): Promise<TgMessage> {
  const stored = target(ctx);
  const old = mediaKindOf(stored.message);
  if (old === undefined || !EDITABLE_MEDIA.has(old)) throw badRequest(TG.messageCantBeEdited);
  const input = ctx.params.json<{ type?: string; media?: string; caption?: string }>('media');
  if (!input?.type || !EDITABLE_MEDIA.has(input.type) || !input.media) throw badRequest("can't parse InputMedia: media not found");
  const kind = input.type as FileKind;
  const raw = { ...ctx.params.raw, [kind]: input.media };
  // The InputMedia's `media` names the file like a send method's parameter (id, URL or attach://).
  const media = await mediaFor({ ...ctx, params: new Params(raw, ctx.params.uploads) }, kind);
  const changes: Partial<TgMessage> = { [old]: undefined, caption: undefined, caption_entities: undefined, ...media };
  if (input.caption) changes.caption = input.caption;
  return apply(ctx, stored, changes, newInlineMarkup(ctx));
}

export const editMethods: Record<string, MethodHandler> = {
  editMessageMedia,
  editMessageText,
  editMessageCaption,
  editMessageReplyMarkup,
};
