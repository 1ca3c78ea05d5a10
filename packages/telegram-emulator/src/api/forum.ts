import { botUser } from '../state/bots.js';
import type { GroupConversation, TopicRecord } from '../state/chats.js';
import { storeMessage } from '../state/post.js';
import { chatForBot, enforceRateLimit } from './access.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';

/** The six colours Telegram allows for topic icons (default the first). */
export const TOPIC_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f] as const;

/** A forum supergroup where the bot is an administrator allowed to manage topics. */
function forumForManagement(ctx: MethodContext): GroupConversation {
  const conv = chatForBot(ctx.world, ctx.bot, ctx.params.chatId(), 'send');
  if (conv.kind !== 'group' || !conv.chat.is_forum) throw badRequest(TG.notForum);
  const member = conv.members.get(ctx.bot.id);
  const canManage = member?.status === 'creator' || (member?.status === 'administrator' && member.rights?.can_manage_topics);
  if (!canManage) throw badRequest('not enough rights to manage topics');
  return conv;
}

function topicOf(ctx: MethodContext, conv: GroupConversation): TopicRecord {
  const threadId = ctx.params.reqInt('message_thread_id', TG.threadNotFound);
  const topic = conv.topics.get(threadId);
  if (!topic) throw badRequest(TG.threadNotFound);
  return topic;
}

/** Topic changes appear in the topic as service messages from the bot. */
function serviceMessage(ctx: MethodContext, conv: GroupConversation, threadId: number, content: Record<string, unknown>): void {
  storeMessage(ctx.world, conv, {
    from: botUser(ctx.bot),
    senderBotId: ctx.bot.id,
    threadId,
    content,
  });
}

function validName(name: string | undefined): string {
  if (name === undefined || name.length < 1 || name.length > 128) throw badRequest('TOPIC_TITLE_EMPTY');
  return name;
}

/**
 * createForumTopic: the topic's id (`message_thread_id`) is the id of its `forum_topic_created`
 * service message, as on Telegram.
 */
function createForumTopic(ctx: MethodContext): Record<string, unknown> {
  const conv = forumForManagement(ctx);
  const name = validName(ctx.params.str('name'));
  const iconColor = ctx.params.int('icon_color') ?? TOPIC_COLORS[0];
  if (!(TOPIC_COLORS as readonly number[]).includes(iconColor)) throw badRequest('TOPIC_COLOR_INVALID');
  const emoji = ctx.params.str('icon_custom_emoji_id');
  enforceRateLimit(ctx.world, ctx.bot, conv);
  const threadId = conv.nextMessageId;
  const topic: TopicRecord = {
    threadId,
    name,
    iconColor,
    closed: false,
    ...(emoji ? { iconCustomEmojiId: emoji } : {}),
  };
  conv.topics.set(threadId, topic);
  const created = {
    name,
    icon_color: iconColor,
    ...(emoji ? { icon_custom_emoji_id: emoji } : {}),
  };
  serviceMessage(ctx, conv, threadId, { forum_topic_created: created });
  return { message_thread_id: threadId, ...created };
}

function editForumTopic(ctx: MethodContext): true {
  const conv = forumForManagement(ctx);
  const topic = topicOf(ctx, conv);
  const name = ctx.params.has('name') ? validName(ctx.params.str('name')) : undefined;
  const emoji = ctx.params.str('icon_custom_emoji_id');
  const changed: Record<string, unknown> = {};
  if (name !== undefined && name !== topic.name) changed.name = topic.name = name;
  if (emoji !== undefined && emoji !== (topic.iconCustomEmojiId ?? '')) {
    topic.iconCustomEmojiId = emoji;
    changed.icon_custom_emoji_id = emoji;
  }
  if (Object.keys(changed).length === 0) throw badRequest(TG.topicNotModified);
  serviceMessage(ctx, conv, topic.threadId, { forum_topic_edited: changed });
  return true;
}

function setClosed(closed: boolean): MethodHandler {
  return (ctx) => {
    const conv = forumForManagement(ctx);
    const topic = topicOf(ctx, conv);
    if (topic.closed === closed) throw badRequest(TG.topicNotModified);
    topic.closed = closed;
    serviceMessage(ctx, conv, topic.threadId, closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} });
    return true;
  };
}

/** deleteForumTopic removes the topic with all its messages. */
function deleteForumTopic(ctx: MethodContext): true {
  const conv = forumForManagement(ctx);
  const topic = topicOf(ctx, conv);
  conv.topics.delete(topic.threadId);
  for (const [id, stored] of conv.messages) {
    if (stored.message.message_thread_id === topic.threadId) conv.messages.delete(id);
  }
  ctx.world.events.emit({
    type: 'delete',
    botId: ctx.bot.id,
    chatId: conv.chat.id,
    threadId: topic.threadId,
    detail: { topic: true },
  });
  return true;
}

export const forumMethods: Record<string, MethodHandler> = {
  createForumTopic,
  editForumTopic,
  closeForumTopic: setClosed(true),
  reopenForumTopic: setClosed(false),
  deleteForumTopic,
};
