import { botUser } from '../state/bots.js';
import type { GroupConversation, TopicRecord } from '../state/chats.js';
import { storeMessage } from '../state/post.js';
import { removeTopic, TOPIC_ICON_EMOJI_IDS } from '../state/topics.js';
import { chatForBot, enforceEditLimit, enforceRateLimit, hasRight } from './access.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';

/** The six colours Telegram allows for topic icons (default the first). */
export const TOPIC_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f] as const;

const NOT_ENOUGH_RIGHTS = 'not enough rights to manage topics';

/** A forum supergroup the bot is in. */
function forum(ctx: MethodContext): GroupConversation {
  const conv = chatForBot(ctx.world, ctx.bot, ctx.params.chatId(), 'send');
  if (conv.kind !== 'group' || !conv.chat.is_forum) throw badRequest(TG.notForum);
  return conv;
}

/** A forum where the bot is an administrator allowed to manage topics (creating one needs this). */
function forumForManagement(ctx: MethodContext): GroupConversation {
  const conv = forum(ctx);
  if (!hasRight(conv, ctx.bot.id, 'can_manage_topics')) throw badRequest(NOT_ENOUGH_RIGHTS);
  return conv;
}

/** A live topic (not deleted, not archived) by `message_thread_id`. */
function topicOf(ctx: MethodContext, conv: GroupConversation): TopicRecord {
  const threadId = ctx.params.reqInt('message_thread_id', TG.threadNotFound);
  const topic = conv.topics.get(threadId);
  if (!topic || topic.archived) throw badRequest(TG.threadNotFound);
  return topic;
}

/** Editing, closing and reopening: `can_manage_topics`, unless the bot created the topic (doc). */
function topicForEdit(ctx: MethodContext): { conv: GroupConversation; topic: TopicRecord } {
  const conv = forum(ctx);
  const topic = topicOf(ctx, conv);
  if (topic.creatorId !== ctx.bot.id && !hasRight(conv, ctx.bot.id, 'can_manage_topics')) throw badRequest(NOT_ENOUGH_RIGHTS);
  return { conv, topic };
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
  if (name === undefined || name.length < 1) throw badRequest('TOPIC_TITLE_EMPTY');
  if (name.length > 128) throw badRequest('TOPIC_TITLE_TOO_LONG');
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
    creatorId: ctx.bot.id,
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

/** editForumTopic: an empty or absent name keeps the old one; `""` as the emoji removes it. */
function editForumTopic(ctx: MethodContext): true {
  const { conv, topic } = topicForEdit(ctx);
  const name = ctx.params.has('name') ? validName(ctx.params.str('name')) : undefined;
  const emoji = ctx.params.str('icon_custom_emoji_id');
  enforceEditLimit(ctx.world, ctx.bot, conv);
  const changed: Record<string, unknown> = {};
  if (name !== undefined && name !== topic.name) changed.name = topic.name = name;
  if (emoji !== undefined && emoji !== (topic.iconCustomEmojiId ?? '')) {
    if (emoji === '') delete topic.iconCustomEmojiId;
    else topic.iconCustomEmojiId = emoji;
    changed.icon_custom_emoji_id = emoji;
  }
  if (Object.keys(changed).length === 0) throw badRequest(TG.topicNotModified);
  serviceMessage(ctx, conv, topic.threadId, { forum_topic_edited: changed });
  return true;
}

function setClosed(closed: boolean): MethodHandler {
  return (ctx) => {
    const { conv, topic } = topicForEdit(ctx);
    if (topic.closed === closed) throw badRequest(TG.topicNotModified);
    topic.closed = closed;
    serviceMessage(ctx, conv, topic.threadId, closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} });
    return true;
  };
}

/** deleteForumTopic (`can_delete_messages`) removes the topic with all its messages; bots get no update. */
function deleteForumTopic(ctx: MethodContext): true {
  const conv = forum(ctx);
  if (!hasRight(conv, ctx.bot.id, 'can_delete_messages')) throw badRequest("message can't be deleted");
  const topic = topicOf(ctx, conv);
  removeTopic(ctx.world, conv, topic.threadId, { botId: ctx.bot.id });
  return true;
}

/** unpinAllForumTopicMessages: needs `can_pin_messages`. */
function unpinAllForumTopicMessages(ctx: MethodContext): true {
  const conv = forum(ctx);
  if (!hasRight(conv, ctx.bot.id, 'can_pin_messages')) throw badRequest('not enough rights to unpin a message');
  const topic = topicOf(ctx, conv);
  for (const stored of conv.messages.values()) if (stored.message.message_thread_id === topic.threadId) delete stored.pinned;
  return true;
}

/** The stickers allowed as topic icons (fixed ids in the emulator). */
function getForumTopicIconStickers(): unknown[] {
  return TOPIC_ICON_EMOJI_IDS.map((id, i) => ({
    file_id: `CAACtopicicon${i}`,
    file_unique_id: `AQADtopicicon${i}`,
    type: 'custom_emoji',
    width: 512,
    height: 512,
    is_animated: false,
    is_video: false,
    emoji: '📌',
    custom_emoji_id: id,
  }));
}

export const forumMethods: Record<string, MethodHandler> = {
  createForumTopic,
  editForumTopic,
  closeForumTopic: setClosed(true),
  reopenForumTopic: setClosed(false),
  deleteForumTopic,
  unpinAllForumTopicMessages,
  getForumTopicIconStickers,
};
