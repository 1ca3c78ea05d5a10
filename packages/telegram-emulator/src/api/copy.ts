import type { StoredMessage } from '../state/chats.js';
import type { TgMessage } from '../types.js';
import { chatForBot } from './access.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';
import { captionFields } from './media.js';
import { postFromBot, resolveTarget } from './send.js';

/** The parts of a message that travel with a copy or a forward (service messages have none). */
const CONTENT_FIELDS = [
  'text',
  'entities',
  'photo',
  'document',
  'caption',
  'caption_entities',
  'has_media_spoiler',
  'show_caption_above_media',
  'link_preview_options',
];

function source(ctx: MethodContext, notFound: string): StoredMessage {
  const conv = chatForBot(ctx.world, ctx.bot, ctx.params.chatId('from_chat_id'), 'read');
  const stored = conv.messages.get(ctx.params.reqInt('message_id', 'message identifier is not specified'));
  if (!stored) throw badRequest(notFound);
  return stored;
}

function contentOf(message: TgMessage, cannot: string): Partial<TgMessage> {
  const content: Partial<TgMessage> = {};
  for (const field of CONTENT_FIELDS) if (message[field] !== undefined) content[field] = structuredClone(message[field]);
  if (content.text === undefined && content.photo === undefined && content.document === undefined) throw badRequest(cannot);
  return content;
}

/**
 * copyMessage: the same content without a link to the original, in any chat or topic the bot can
 * post to. A `caption` parameter replaces the caption of a media message; `reply_markup` is the
 * new message's own. Returns only `{ message_id }`.
 */
function copyMessage(ctx: MethodContext): { message_id: number } {
  const original = source(ctx, TG.messageToCopyNotFound);
  if (original.message.invoice !== undefined) throw badRequest(TG.messageCantBeCopied);
  const content = contentOf(original.message, TG.messageCantBeCopied);
  const target = resolveTarget(ctx);
  if (ctx.params.has('caption') && content.text === undefined) {
    delete content.caption;
    delete content.caption_entities;
    Object.assign(content, captionFields(ctx));
  }
  return { message_id: postFromBot(ctx, target, content).message_id };
}

/** forwardMessage: the content plus `forward_origin` naming the original sender and date. */
function forwardMessage(ctx: MethodContext): TgMessage {
  const original = source(ctx, TG.messageToForwardNotFound);
  if (original.message.has_protected_content) throw badRequest("message can't be forwarded");
  const content = contentOf(original.message, "message can't be forwarded");
  const m = original.message;
  content.forward_origin = m.forward_origin ?? { type: 'user', sender_user: m.from, date: m.date };
  const target = resolveTarget(ctx);
  delete target.markup;
  delete target.replyTo;
  return postFromBot(ctx, target, content, { paidBroadcast: false });
}

export const copyMethods: Record<string, MethodHandler> = { copyMessage, forwardMessage };
