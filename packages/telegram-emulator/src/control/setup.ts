import { unixNow } from '../api/context.js';
import { botUser, type BotInfo } from '../state/bots.js';
import { chatMemberObject } from '../state/chat-member.js';
import type { GroupConversation, MemberRecord } from '../state/chats.js';
import type { World } from '../state/world.js';
import type { TgChat, TgUser } from '../types.js';
import { ControlError, findBot, findGroup, findUser } from './resolve.js';
import type { AddMemberInput, BotMembership, CreateSupergroupInput, CreateUserInput, RegisterBotInput } from './types.js';

export function registerBot(world: World, input: RegisterBotInput): BotInfo {
  try {
    return structuredClone(world.bots.register(input).info);
  } catch (error) {
    throw new ControlError(error instanceof Error ? error.message : String(error));
  }
}

export function createUser(world: World, input: CreateUserInput): TgUser {
  if (!input.firstName) throw new ControlError('firstName is required');
  if (input.id !== undefined && (!Number.isInteger(input.id) || input.id <= 0)) throw new ControlError('user ids are positive integers');
  if (input.id !== undefined && world.chats.users.has(input.id)) throw new ControlError(`user ${input.id} exists`);
  const user: Omit<TgUser, 'id' | 'is_bot'> & { id?: number } = { first_name: input.firstName };
  if (input.id !== undefined) user.id = input.id;
  if (input.lastName) user.last_name = input.lastName;
  if (input.username) user.username = input.username;
  if (input.languageCode) user.language_code = input.languageCode;
  if (input.isPremium) user.is_premium = true;
  return structuredClone(world.chats.addUser(user));
}

/** Adds a bot to a group; Telegram tells the bot with `my_chat_member` (from the group's creator). */
function addBot(world: World, group: GroupConversation, membership: BotMembership, actor: TgUser): void {
  const bot = findBot(world, membership.bot);
  const admin = membership.admin ?? true;
  const rights = {
    can_manage_topics: membership.canManageTopics ?? admin,
    can_delete_messages: membership.canDeleteMessages ?? admin,
    can_pin_messages: membership.canPinMessages ?? admin,
  };
  const old = group.members.get(bot.id);
  const record: MemberRecord = admin ? { user: botUser(bot), status: 'administrator', rights } : { user: botUser(bot), status: 'member' };
  group.members.set(bot.id, record);
  bot.queue.push('my_chat_member', {
    chat: group.chat,
    from: actor,
    date: unixNow(),
    old_chat_member: { user: botUser(bot), status: old?.status ?? 'left' },
    new_chat_member: chatMemberObject(record),
  });
}

export function createSupergroup(world: World, input: CreateSupergroupInput): TgChat {
  if (!input.title) throw new ControlError('title is required');
  if (input.id !== undefined && (input.id >= 0 || world.chats.group(input.id))) throw new ControlError('group ids are negative and unique');
  const owner = input.ownerId === undefined ? world.chats.addUser({ first_name: 'Owner' }) : findUser(world, input.ownerId);
  const group = world.chats.addGroup({
    title: input.title,
    isForum: input.isForum ?? true,
    ...(input.username ? { username: input.username } : {}),
    ...(input.id === undefined ? {} : { id: input.id }),
  });
  group.members.set(owner.id, { user: owner, status: 'creator' });
  for (const id of input.userIds ?? []) group.members.set(id, { user: findUser(world, id), status: 'member' });
  for (const id of input.adminIds ?? []) group.members.set(id, adminRecord(findUser(world, id)));
  for (const membership of input.bots ?? []) addBot(world, group, membership, owner);
  return structuredClone(group.chat);
}

export function addMember(world: World, input: AddMemberInput): true {
  const group = findGroup(world, input.chatId);
  if (input.userId !== undefined) {
    const user = findUser(world, input.userId);
    group.members.set(input.userId, input.admin ? adminRecord(user) : { user, status: 'member' });
  }
  if (input.bot) {
    const creator = [...group.members.values()].find((m) => m.status === 'creator')?.user;
    addBot(world, group, input.bot, creator ?? world.chats.addUser({ first_name: 'Owner' }));
  }
  if (input.userId === undefined && !input.bot) throw new ControlError('give userId or bot');
  return true;
}

function adminRecord(user: TgUser): MemberRecord {
  return { user, status: 'administrator', rights: { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true } };
}
