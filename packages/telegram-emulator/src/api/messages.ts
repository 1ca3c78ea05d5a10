import type { TgEntity } from '../types.js';
import { composeMessageText } from '../html/compose-text.js';
import { chatForBot } from './access.js';
import { unixNow, type MethodContext, type MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';
import { postFromBot, resolveTarget } from './send.js';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

/** sendMessage: text 1..4096 characters after entity parsing. */
function sendMessage(ctx: MethodContext): unknown {
  const target = resolveTarget(ctx);
  const { params } = ctx;
  const { text, entities } = composeMessageText(params.str('text'), params.str('parse_mode'), params.json<TgEntity[]>('entities'));
  const content: Record<string, unknown> = { text };
  if (entities.length > 0) content.entities = entities;
  const preview = params.json<Record<string, unknown>>('link_preview_options');
  if (preview) content.link_preview_options = preview;
  return postFromBot(ctx, target, content);
}

function sendChatAction(ctx: MethodContext): true {
  const { world, bot, params } = ctx;
  const conv = chatForBot(world, bot, params.chatId(), 'send');
  const action = params.reqStr('action', 'wrong parameter action in request');
  if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
  const threadId = params.int('message_thread_id');
  world.events.emit({
    type: 'chat_action',
    botId: bot.id,
    chatId: conv.chat.id,
    detail: { action },
    ...(threadId === undefined ? {} : { threadId }),
  });
  return true;
}

/** Bots delete their own messages anywhere, and others' in groups when admin with can_delete_messages. */
function deleteOne(ctx: MethodContext, chatId: number | string, messageId: number): void {
  const { world, bot } = ctx;
  const conv = chatForBot(world, bot, chatId, 'read');
  const stored = conv.messages.get(messageId);
  if (!stored) throw badRequest(TG.messageToDeleteNotFound);
  // Telegram: only messages younger than 48 h; a topic's creation message never.
  if (unixNow() - stored.message.date > 48 * 3600 || stored.message.forum_topic_created !== undefined) {
    throw badRequest("message can't be deleted");
  }
  if (stored.senderBotId !== bot.id && conv.kind === 'group') {
    const member = conv.members.get(bot.id);
    const allowed = member?.status === 'creator' || (member?.status === 'administrator' && member.rights?.can_delete_messages);
    if (!allowed) throw badRequest("message can't be deleted");
  }
  conv.messages.delete(messageId);
  world.events.emit({
    type: 'delete',
    botId: bot.id,
    chatId: conv.chat.id,
    messageId,
    ...(stored.message.message_thread_id === undefined ? {} : { threadId: stored.message.message_thread_id }),
  });
}

function deleteMessage(ctx: MethodContext): true {
  deleteOne(ctx, ctx.params.chatId(), ctx.params.reqInt('message_id', 'message identifier is not specified'));
  return true;
}

/** deleteMessages: 1..100 ids; ids that cannot be deleted are skipped, as on Telegram. */
function deleteMessages(ctx: MethodContext): true {
  const ids = ctx.params.json<number[]>('message_ids') ?? [];
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) throw badRequest('message_ids must be non-empty');
  const chatId = ctx.params.chatId();
  let deleted = 0;
  for (const id of ids) {
    try {
      deleteOne(ctx, chatId, Number(id));
      deleted += 1;
    } catch {
      // Telegram deletes what it can and reports failure only if nothing was deleted.
    }
  }
  if (deleted === 0) throw badRequest(TG.messageToDeleteNotFound);
  return true;
}

export const messageMethods: Record<string, MethodHandler> = {
  sendMessage,
  sendChatAction,
  deleteMessage,
  deleteMessages,
};
