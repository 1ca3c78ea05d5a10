import { mediaFileId, mediaKindOf } from '../api/media-objects.js';
import type { BotRecord } from '../state/bots.js';
import type { Conversation, GroupConversation, StoredMessage } from '../state/chats.js';
import type { World } from '../state/world.js';
import type { TgUser } from '../types.js';
import type { BotRef, ChatTarget, SentMessage } from './types.js';

/** A control call that cannot be carried out; answered over HTTP as 400 `{ ok: false, error }`. */
export class ControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlError';
  }
}

export function findBot(world: World, ref: BotRef): BotRecord {
  const bot = world.bots.find(ref);
  if (!bot) throw new ControlError(`unknown bot ${String(ref).replace(/:.*/, ':…')}`);
  return bot;
}

export function findUser(world: World, id: number): TgUser {
  const user = world.chats.users.get(id);
  if (!user) throw new ControlError(`unknown user ${id}; create it with createUser`);
  return user;
}

export function findGroup(world: World, chatId: number): GroupConversation {
  const group = world.chats.group(chatId);
  if (!group) throw new ControlError(`unknown group ${chatId}`);
  return group;
}

/** The conversation a user acts in: the private chat with `bot`, or group `chatId` (joining it if needed). */
export function userConversation(world: World, target: ChatTarget): Conversation {
  const user = findUser(world, target.from);
  if (target.chatId !== undefined && target.chatId < 0) {
    const group = findGroup(world, target.chatId);
    const member = group.members.get(user.id);
    if (member?.status === 'kicked') throw new ControlError(`user ${user.id} is banned in ${target.chatId}`);
    if (!member || member.status === 'left') group.members.set(user.id, { user, status: 'member' });
    return group;
  }
  if (target.bot === undefined) throw new ControlError('name the bot (private chat) or a group chatId');
  const bot = findBot(world, target.bot);
  return world.chats.privateChat(bot.id, user.id);
}

/**
 * The conversation a reader means: a group by id, or the private chat of `bot` with user
 * `chatId` (the bot may be omitted when only one bot has a chat with that user).
 */
export function readConversation(world: World, chatId: number, bot: BotRef | undefined): Conversation {
  if (chatId < 0) return findGroup(world, chatId);
  if (bot !== undefined) {
    const conv = world.chats.findPrivate(findBot(world, bot).id, chatId);
    if (!conv) throw new ControlError(`no chat between that bot and user ${chatId}`);
    return conv;
  }
  const convs = world.bots.all().flatMap((b) => world.chats.findPrivate(b.id, chatId) ?? []);
  if (convs.length !== 1) throw new ControlError(`name the bot: user ${chatId} has ${convs.length} bot chats`);
  return convs[0]!;
}

/** The flat view tests read (a deep copy: later edits do not change it). */
export function messageView(conv: Conversation, stored: StoredMessage): SentMessage {
  const m = structuredClone(stored.message);
  const view: SentMessage = {
    seq: stored.seq,
    chatId: conv.chat.id,
    messageId: m.message_id,
    fromBot: stored.senderBotId !== undefined,
    message: m,
  };
  if (m.message_thread_id !== undefined) view.threadId = m.message_thread_id;
  const botId = stored.senderBotId ?? (conv.kind === 'private' ? conv.botId : undefined);
  if (botId !== undefined) view.botId = botId;
  if (stored.senderUserId !== undefined) view.userId = stored.senderUserId;
  if (m.text !== undefined) view.text = m.text;
  if (m.caption !== undefined) view.caption = m.caption;
  const entities = m.entities ?? m.caption_entities;
  if (entities) view.entities = entities;
  if (m.reply_markup) view.replyMarkup = m.reply_markup;
  if (stored.replyKeyboard) view.replyKeyboard = structuredClone(stored.replyKeyboard);
  const photo = m.photo?.at(-1);
  if (photo) view.photoFileId = photo.file_id;
  if (m.document) view.documentFileId = m.document.file_id;
  const kind = mediaKindOf(m);
  if (kind !== undefined) {
    view.mediaKind = kind;
    view.fileId = mediaFileId(m)!;
  }
  if (typeof m.media_group_id === 'string') view.mediaGroupId = m.media_group_id;
  const replied = m.reply_to_message?.message_id;
  if (replied !== undefined && replied !== m.message_thread_id) view.replyToMessageId = replied;
  if (stored.pinned) view.pinned = true;
  if (m.edit_date !== undefined) view.editDate = m.edit_date;
  return view;
}

/** Whether a message belongs to `threadId` (1 = General, i.e. no thread id). */
export function inThread(threadOfMessage: number | undefined, threadId: number | undefined): boolean {
  if (threadId === undefined) return true;
  if (threadId === 1) return threadOfMessage === undefined;
  return threadOfMessage === threadId;
}
