import type { BotRecord } from '../state/bots.js';
import { isActiveMember, type AdminRights, type Conversation, type GroupConversation, type StoredMessage } from '../state/chats.js';
import type { World } from '../state/world.js';
import { badRequest, forbidden, tooManyRequests, TG } from './errors.js';

/**
 * Resolves `chat_id` for a bot the way Telegram does: a user id means the bot's private chat with
 * that user (which exists only after the user wrote to the bot); a negative id or "@username" a
 * group the bot is in. `send` also refuses chats where the bot was blocked.
 */
export function chatForBot(world: World, bot: BotRecord, ref: number | string, purpose: 'send' | 'read'): Conversation {
  if (typeof ref === 'string') {
    const group = world.chats.groupByUsername(ref);
    if (!group) throw badRequest(TG.chatNotFound);
    return checkMembership(bot, group, purpose);
  }
  if (ref > 0) {
    if (!world.chats.users.has(ref)) throw badRequest(TG.chatNotFound);
    const conv = world.chats.findPrivate(bot.id, ref);
    if (!conv?.started) {
      if (purpose === 'send') throw forbidden(TG.cantInitiate);
      throw badRequest(TG.chatNotFound);
    }
    if (purpose === 'send' && conv.blocked) throw forbidden(TG.blocked);
    return conv;
  }
  const group = world.chats.group(ref);
  if (!group) throw badRequest(TG.chatNotFound);
  return checkMembership(bot, group, purpose);
}

function checkMembership(bot: BotRecord, group: GroupConversation, purpose: 'send' | 'read'): GroupConversation {
  if (isActiveMember(group.members.get(bot.id))) return group;
  if (purpose === 'send') throw forbidden(TG.notMember);
  throw badRequest(TG.chatNotFound);
}

/**
 * Checks `message_thread_id` against the chat's forum topics for a poster (`posterId`, a bot or a
 * user id). General is addressed by leaving the id out: the Bot API answers 1 with "message thread
 * not found"; `generalIsOne` lets the control API name General as 1. A deleted or archived topic
 * answers "message thread not found"; a closed one TOPIC_CLOSED, except to its creator and to
 * members with `can_manage_topics`.
 */
export function resolveThread(
  conv: Conversation,
  threadId: number | undefined,
  posterId: number,
  generalIsOne = false,
): number | undefined {
  if (threadId === undefined || threadId === 0) return undefined;
  if (conv.kind !== 'group' || !conv.chat.is_forum) throw badRequest(TG.threadNotFound);
  if (threadId === 1 && generalIsOne) return undefined;
  const topic = conv.topics.get(threadId);
  if (!topic || topic.archived) throw badRequest(TG.threadNotFound);
  if (topic.closed && topic.creatorId !== posterId && !hasRight(conv, posterId, 'can_manage_topics')) throw badRequest(TG.topicClosed);
  return threadId;
}

/** The message a send replies to, from `reply_parameters` or the legacy `reply_to_message_id`. */
export function resolveReply(
  conv: Conversation,
  replyParameters: { message_id?: number; allow_sending_without_reply?: boolean } | undefined,
  legacyReplyTo: number | undefined,
): StoredMessage | undefined {
  const id = replyParameters?.message_id ?? legacyReplyTo;
  if (id === undefined) return undefined;
  const found = conv.messages.get(id);
  if (!found && !replyParameters?.allow_sending_without_reply) throw badRequest(TG.messageToReplyNotFound);
  return found;
}

/**
 * Takes tokens from the flood limiter for `count` outgoing messages (default 1), or fails with
 * Telegram's 429. `paid` (the message's `allow_paid_broadcast`) may use a paid token, charged to
 * the bot's Stars.
 */
export function enforceRateLimit(world: World, bot: BotRecord, conv: Conversation, options: { paid?: boolean; count?: number } = {}): void {
  const decision = world.limiter.take(bot.id, conv.chat.id, conv.kind, options);
  if (!decision.ok) throw tooManyRequests(decision.retryAfter);
  if (decision.paid) world.payments.chargePaidBroadcast(bot.id);
}

/** Edits in a group are limited on their own (about 20 per minute); private chats are not limited. */
export function enforceEditLimit(world: World, bot: BotRecord, conv: Conversation): void {
  if (conv.kind !== 'group') return;
  const decision = world.limiter.take(bot.id, conv.chat.id, 'edit');
  if (!decision.ok) throw tooManyRequests(decision.retryAfter);
}

/** Creator, or administrator with the given right. */
export function hasRight(conv: GroupConversation, memberId: number, right: keyof AdminRights): boolean {
  const member = conv.members.get(memberId);
  return member?.status === 'creator' || (member?.status === 'administrator' && member.rights?.[right] === true);
}

/** A message the bot itself sent in this chat, as required by the edit methods. */
export function ownMessage(bot: BotRecord, conv: Conversation, messageId: number): StoredMessage {
  const stored = conv.messages.get(messageId);
  if (!stored) throw badRequest(TG.messageToEditNotFound);
  if (stored.senderBotId !== bot.id) throw badRequest(TG.messageCantBeEdited);
  return stored;
}
