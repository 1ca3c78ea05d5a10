import { unixNow } from '../api/context.js';
import type { TgMessage, TgUser, UpdateKind } from '../types.js';
import type { BotRecord } from './bots.js';
import { isActiveMember, type Conversation, type StoredMessage } from './chats.js';
import type { World } from './world.js';

export interface PostInput {
  from: TgUser;
  senderBotId?: number;
  threadId?: number;
  replyTo?: StoredMessage;
  /** The message body: text/entities, media, invoice, service fields, inline reply_markup. */
  content: Partial<TgMessage>;
  replyKeyboard?: Record<string, unknown>;
}

/** A copy of a message suitable for `reply_to_message` (Telegram does not nest replies deeper). */
function asReplied(message: TgMessage): TgMessage {
  const { reply_to_message: _nested, ...rest } = message;
  return structuredClone(rest);
}

/**
 * Stores a new message in a chat with the next message id and logs it. Messages in a forum topic
 * carry `message_thread_id` and `is_topic_message`, and reply to the topic's first message unless
 * they reply to something else, as Telegram shows them.
 */
export function storeMessage(world: World, conv: Conversation, input: PostInput): StoredMessage {
  const message: TgMessage = {
    message_id: conv.nextMessageId++,
    from: input.from,
    chat: conv.chat,
    date: unixNow(),
  };
  if (input.threadId !== undefined) {
    message.message_thread_id = input.threadId;
    message.is_topic_message = true;
  }
  const replyTo = input.replyTo ?? (input.threadId !== undefined ? conv.messages.get(input.threadId) : undefined);
  if (replyTo) message.reply_to_message = asReplied(replyTo.message);
  Object.assign(message, input.content);
  const event = world.events.emit({
    type: input.senderBotId === undefined ? 'user_message' : 'message',
    chatId: conv.chat.id,
    messageId: message.message_id,
    ...(input.senderBotId === undefined ? { userId: input.from.id } : { botId: input.senderBotId }),
    ...(conv.kind === 'private' ? { botId: conv.botId } : {}),
    ...(input.threadId === undefined ? {} : { threadId: input.threadId }),
  });
  const stored: StoredMessage = { message, seq: event.seq };
  if (input.senderBotId === undefined) stored.senderUserId = input.from.id;
  else stored.senderBotId = input.senderBotId;
  if (input.replyKeyboard) stored.replyKeyboard = input.replyKeyboard;
  conv.messages.set(message.message_id, stored);
  return stored;
}

/** Whether a bot in a group gets this message: admins and bots without privacy mode see all. */
function botSees(bot: BotRecord, conv: Conversation, stored: StoredMessage): boolean {
  if (conv.kind === 'private') return conv.botId === bot.id;
  const member = conv.members.get(bot.id);
  if (!isActiveMember(member) || stored.senderBotId !== undefined) return false;
  if (member?.status !== 'member' || bot.info.can_read_all_group_messages) return true;
  const text = stored.message.text ?? '';
  const command = /^\/[a-zA-Z0-9_]+(?:@([a-zA-Z0-9_]+))?/.exec(text);
  if (command && (!command[1] || command[1].toLowerCase() === bot.info.username.toLowerCase())) return true;
  return stored.message.reply_to_message?.from?.id === bot.id;
}

/** Queues a user's message (or its edit) as an update for every bot that can see it. */
export function deliverToBots(world: World, conv: Conversation, stored: StoredMessage, kind: UpdateKind = 'message'): number[] {
  const ids: number[] = [];
  for (const bot of world.bots.all()) {
    if (!botSees(bot, conv, stored)) continue;
    const update = bot.queue.push(kind, stored.message);
    if (update) ids.push(update.update_id);
  }
  return ids;
}
