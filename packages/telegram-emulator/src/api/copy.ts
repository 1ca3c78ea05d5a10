import { randomBytes } from 'node:crypto';
import type { Conversation, StoredMessage } from '../state/chats.js';
import type { TgMessage } from '../types.js';
import { chatForBot, enforceRateLimit } from './access.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';
import { captionFields } from './media.js';
import { CAPTIONED, mediaKindOf, MEDIA_FIELDS } from './media-objects.js';
import { postFromBot, resolveTarget, type Target } from './send.js';

/** The parts of a message that travel with a copy or a forward (service messages have none). */
const CONTENT_FIELDS = [
  'text',
  'entities',
  ...MEDIA_FIELDS,
  'location',
  'contact',
  'venue',
  'dice',
  'caption',
  'caption_entities',
  'has_media_spoiler',
  'show_caption_above_media',
  'link_preview_options',
];
/** What Telegram refuses to copy even though it is content (doc: invoices, paid media, giveaways). */
const NOT_COPYABLE = ['invoice', 'paid_media', 'giveaway', 'giveaway_winners', 'successful_payment'];

function sourceChat(ctx: MethodContext): Conversation {
  return chatForBot(ctx.world, ctx.bot, ctx.params.chatId('from_chat_id'), 'read');
}

function source(ctx: MethodContext, notFound: string): StoredMessage {
  const stored = sourceChat(ctx).messages.get(ctx.params.reqInt('message_id', 'message identifier is not specified'));
  if (!stored) throw badRequest(notFound);
  return stored;
}

/** The copyable content of a message, or undefined for service messages, invoices and paid media. */
function contentOf(message: TgMessage): Partial<TgMessage> | undefined {
  if (NOT_COPYABLE.some((field) => message[field] !== undefined)) return undefined;
  const content: Partial<TgMessage> = {};
  for (const field of CONTENT_FIELDS) if (message[field] !== undefined) content[field] = structuredClone(message[field]);
  const hasBody = content.text !== undefined || Object.keys(content).some((f) => (MEDIA_FIELDS as readonly string[]).includes(f));
  const isPlace = ['location', 'contact', 'venue', 'dice'].some((f) => content[f] !== undefined);
  return hasBody || isPlace ? content : undefined;
}

/**
 * copyMessage: the same content without a link to the original, in any chat or topic the bot can
 * post to. A `caption` parameter replaces the caption of a captioned media message; `reply_markup`
 * and `reply_parameters` are the new message's own. Returns only `{ message_id }`.
 */
function copyMessage(ctx: MethodContext): { message_id: number } {
  const original = source(ctx, TG.messageToCopyNotFound);
  const content = contentOf(original.message);
  if (!content) throw badRequest(TG.messageCantBeCopied);
  const target = resolveTarget(ctx);
  const kind = mediaKindOf(original.message);
  if (kind !== undefined && CAPTIONED.has(kind) && (ctx.params.has('caption') || ctx.params.bool('remove_caption'))) {
    delete content.caption;
    delete content.caption_entities;
    if (!ctx.params.bool('remove_caption')) Object.assign(content, captionFields(ctx));
  }
  return { message_id: postFromBot(ctx, target, content).message_id };
}

/** forwardMessage: the content plus `forward_origin` naming the original sender and date. */
function forwardMessage(ctx: MethodContext): TgMessage {
  const original = source(ctx, TG.messageToForwardNotFound);
  if (original.message.has_protected_content) throw badRequest("message can't be forwarded");
  const content = contentOf(original.message);
  if (!content) throw badRequest("message can't be forwarded");
  const target = resolveTarget(ctx);
  delete target.markup;
  delete target.replyTo;
  return postFromBot(ctx, target, { ...content, forward_origin: originOf(original.message) }, { paidBroadcast: false });
}

function originOf(m: TgMessage): unknown {
  return m.forward_origin ?? { type: 'user', sender_user: m.from, date: m.date };
}

/**
 * copyMessages / forwardMessages: 1–100 ids, strictly increasing. What cannot be copied (missing,
 * service messages, invoices) is skipped; albums stay albums (the copies share a new
 * `media_group_id`). No reply_parameters, no reply_markup, no caption change. The flood limiter is
 * charged for all copies at once, so a 429 posts nothing.
 */
function copyBatch(forward: boolean): MethodHandler {
  return (ctx) => {
    const ids = ctx.params.json<number[]>('message_ids');
    if (!Array.isArray(ids) || ids.length === 0) throw badRequest('message_ids are empty');
    if (ids.length > 100) throw badRequest('too many messages to copy');
    if (ids.some((id, i) => !Number.isInteger(id) || (i > 0 && id <= ids[i - 1]!)))
      throw badRequest('message identifiers must be increasing');
    const from = sourceChat(ctx);
    const target: Target = resolveTarget(ctx);
    delete target.markup;
    delete target.replyTo;
    const picked = ids.flatMap((id) => {
      const stored = from.messages.get(id);
      if (!stored || (forward && stored.message.has_protected_content)) return [];
      const content = contentOf(stored.message);
      return content ? [{ stored, content }] : [];
    });
    if (picked.length === 0) throw badRequest(forward ? TG.messageToForwardNotFound : TG.messageToCopyNotFound);
    // No allow_paid_broadcast on the batch methods (doc).
    enforceRateLimit(ctx.world, ctx.bot, target.conv, { count: picked.length });
    const groups = new Map<string, string>();
    return picked.map(({ stored, content }) => {
      const group = stored.message.media_group_id;
      if (typeof group === 'string') {
        if (!groups.has(group)) groups.set(group, randomBytes(8).readBigUInt64BE().toString());
        content.media_group_id = groups.get(group);
      }
      if (forward) content.forward_origin = originOf(stored.message);
      if (!forward && ctx.params.bool('remove_caption')) {
        delete content.caption;
        delete content.caption_entities;
      }
      return { message_id: postFromBot(ctx, target, content, { limited: false }).message_id };
    });
  };
}

export const copyMethods: Record<string, MethodHandler> = {
  copyMessage,
  forwardMessage,
  copyMessages: copyBatch(false),
  forwardMessages: copyBatch(true),
};
