import type { TgChat, TgMessage, TgUser } from '../types.js';

/** A message as the emulator keeps it: what bots see, plus who sent it and the keyboard it carried. */
export interface StoredMessage {
  message: TgMessage;
  /** Position in the global event order (see `EventLog`). */
  seq: number;
  senderBotId?: number;
  senderUserId?: number;
  /** A reply keyboard, `remove_keyboard` or `force_reply` markup sent with the message (not echoed by Telegram). */
  replyKeyboard?: Record<string, unknown>;
  /** Pinned in its chat (or, in a forum, in its topic). */
  pinned?: boolean;
}

/** The administrator rights the emulator checks (others are reported as given). */
export interface AdminRights {
  can_manage_topics: boolean;
  can_delete_messages: boolean;
  can_pin_messages: boolean;
}

export interface MemberRecord {
  user: TgUser;
  status: 'creator' | 'administrator' | 'member' | 'left' | 'kicked';
  rights?: AdminRights;
}

export interface TopicRecord {
  threadId: number;
  name: string;
  iconColor: number;
  iconCustomEmojiId?: string;
  closed: boolean;
  /** The bot or user that created the topic (it may edit, close and post in it while closed). */
  creatorId?: number;
  /** Archived by Telegram (very large forums): answers like a deleted topic, messages kept. */
  archived?: boolean;
}

interface ConversationBase {
  chat: TgChat;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
}

/** One bot's private chat with one user (each bot has its own message ids with a user). */
export interface PrivateConversation extends ConversationBase {
  kind: 'private';
  botId: number;
  userId: number;
  /** The user has written to the bot at least once, so the bot may write back. */
  started: boolean;
  blocked: boolean;
}

/** A supergroup (optionally a forum); all its members share one message id sequence. */
export interface GroupConversation extends ConversationBase {
  kind: 'group';
  members: Map<number, MemberRecord>;
  topics: Map<number, TopicRecord>;
}

export type Conversation = PrivateConversation | GroupConversation;

/** Supergroup ids look like Telegram's: -100 followed by ten digits. */
const GROUP_BASE = 1_000_000_000_000;

export class ChatStore {
  readonly users = new Map<number, TgUser>();
  private readonly privates = new Map<string, PrivateConversation>();
  private readonly groups = new Map<number, GroupConversation>();
  private nextUserId = 100_000_001;
  private nextGroupId = 1_000_000_001;

  addUser(user: Omit<TgUser, 'id' | 'is_bot'> & { id?: number }): TgUser {
    const id = user.id ?? this.nextUserId++;
    if (id <= 0) throw new Error('user ids are positive');
    const record: TgUser = { ...user, id, is_bot: false };
    this.users.set(id, record);
    return record;
  }

  /** The private chat of `botId` with `userId`, created on first use (the user must exist). */
  privateChat(botId: number, userId: number): PrivateConversation {
    const key = `${botId}:${userId}`;
    const existing = this.privates.get(key);
    if (existing) return existing;
    const user = this.users.get(userId);
    if (!user) throw new Error(`unknown user ${userId}`);
    const chat: TgChat = { id: userId, type: 'private', first_name: user.first_name };
    if (user.last_name) chat.last_name = user.last_name;
    if (user.username) chat.username = user.username;
    const conv: PrivateConversation = {
      kind: 'private',
      botId,
      userId,
      chat,
      nextMessageId: 1,
      messages: new Map(),
      started: false,
      blocked: false,
    };
    this.privates.set(key, conv);
    return conv;
  }

  findPrivate(botId: number, userId: number): PrivateConversation | undefined {
    return this.privates.get(`${botId}:${userId}`);
  }

  addGroup(input: { title: string; isForum: boolean; username?: string; id?: number }): GroupConversation {
    const id = input.id ?? -(GROUP_BASE + this.nextGroupId++);
    if (id >= 0) throw new Error('group ids are negative');
    const chat: TgChat = { id, type: 'supergroup', title: input.title };
    if (input.username) chat.username = input.username;
    if (input.isForum) chat.is_forum = true;
    const conv: GroupConversation = {
      kind: 'group',
      chat,
      // Message 1 is the group's creation; in a forum, thread id 1 is also the General topic.
      nextMessageId: 2,
      messages: new Map(),
      members: new Map(),
      topics: new Map(),
    };
    this.groups.set(id, conv);
    return conv;
  }

  group(chatId: number): GroupConversation | undefined {
    return this.groups.get(chatId);
  }

  groupByUsername(username: string): GroupConversation | undefined {
    const name = username.replace(/^@/, '').toLowerCase();
    return [...this.groups.values()].find((g) => g.chat.username?.toLowerCase() === name);
  }

  allGroups(): GroupConversation[] {
    return [...this.groups.values()];
  }

  clear(): void {
    this.users.clear();
    this.privates.clear();
    this.groups.clear();
  }
}

/** Bots see the membership of a group as `ChatMember` statuses; only these can read and post. */
export function isActiveMember(member: MemberRecord | undefined): boolean {
  return member !== undefined && (member.status === 'creator' || member.status === 'administrator' || member.status === 'member');
}
