import { botUser } from '../state/bots.js';
import type { Conversation, StoredMessage } from '../state/chats.js';
import { storeMessage } from '../state/post.js';
import type { TgMessage } from '../types.js';
import { chatForBot, enforceRateLimit, resolveReply, resolveThread } from './access.js';
import type { MethodContext } from './context.js';
import { parseMarkup, type ParsedMarkup } from './markup.js';

/** Where a bot's new message goes: chat, topic, replied message and keyboard. */
export interface Target {
  conv: Conversation;
  threadId?: number;
  replyTo?: StoredMessage;
  markup?: ParsedMarkup;
}

/** Reads the parameters every send method shares (`chat_id`, `message_thread_id`, replies, `reply_markup`). */
export function resolveTarget(ctx: MethodContext, chatParam = 'chat_id'): Target {
  const { world, bot, params } = ctx;
  const conv = chatForBot(world, bot, params.chatId(chatParam), 'send');
  const replyTo = resolveReply(
    conv,
    params.json<{ message_id?: number; allow_sending_without_reply?: boolean }>('reply_parameters'),
    params.int('reply_to_message_id'),
  );
  // A reply inside a topic lands in that topic even without message_thread_id, as on Telegram.
  const threadParam = params.int('message_thread_id') ?? replyTo?.message.message_thread_id;
  const threadId = resolveThread(conv, threadParam, bot.id);
  const markup = parseMarkup(params);
  const target: Target = { conv };
  if (threadId !== undefined) target.threadId = threadId;
  if (replyTo) target.replyTo = replyTo;
  if (markup) target.markup = markup;
  return target;
}

/**
 * Posts a bot's message after the flood check; returns the Message as Telegram answers it.
 * `paidBroadcast: false` for methods without `allow_paid_broadcast` (forwardMessage);
 * `limited: false` when the caller took the tokens for a batch already (copyMessages).
 */
export function postFromBot(
  ctx: MethodContext,
  target: Target,
  content: Partial<TgMessage>,
  options: { paidBroadcast?: boolean; limited?: boolean } = {},
): TgMessage {
  const { world, bot, params } = ctx;
  const paid = options.paidBroadcast !== false && params.bool('allow_paid_broadcast') === true;
  if (options.limited !== false) enforceRateLimit(world, bot, target.conv, { paid });
  const body: Partial<TgMessage> = { ...content };
  if (target.markup?.inline) body.reply_markup = target.markup.inline;
  if (params.bool('protect_content')) body.has_protected_content = true;
  const stored = storeMessage(world, target.conv, {
    from: botUser(bot),
    senderBotId: bot.id,
    content: body,
    ...(target.threadId === undefined ? {} : { threadId: target.threadId }),
    ...(target.replyTo ? { replyTo: target.replyTo } : {}),
    ...(target.markup?.other ? { replyKeyboard: target.markup.other } : {}),
  });
  return structuredClone(stored.message);
}
