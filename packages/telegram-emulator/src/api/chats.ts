import { chatMemberObject } from '../state/chat-member.js';
import type { MethodContext, MethodHandler } from './context.js';
import { chatForBot } from './access.js';
import { badRequest } from './errors.js';

/** getChat: a ChatFullInfo with the fields Bot API 9 makes mandatory. */
function getChat(ctx: MethodContext): Record<string, unknown> {
  const conv = chatForBot(ctx.world, ctx.bot, ctx.params.chatId(), 'read');
  const full: Record<string, unknown> = {
    ...structuredClone(conv.chat),
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false,
      limited_gifts: false,
      unique_gifts: false,
      premium_subscription: false,
    },
  };
  if (conv.kind === 'group') full.permissions = { can_send_messages: true, can_manage_topics: false };
  return full;
}

/** getChatMember: "left" for someone who is not in the group. */
function getChatMember(ctx: MethodContext): Record<string, unknown> {
  const conv = chatForBot(ctx.world, ctx.bot, ctx.params.chatId(), 'read');
  const userId = ctx.params.reqInt('user_id', 'user not found');
  const bot = ctx.world.bots.byId(userId);
  const user =
    ctx.world.chats.users.get(userId) ??
    (bot ? { id: bot.id, is_bot: true, first_name: bot.info.first_name, username: bot.info.username } : undefined);
  if (!user) throw badRequest('user not found');
  if (conv.kind === 'private') {
    const inChat = userId === conv.userId || userId === ctx.bot.id;
    return { user, status: inChat ? 'member' : 'left' };
  }
  const member = conv.members.get(userId);
  return member ? chatMemberObject(member) : { user, status: 'left' };
}

function getChatAdministrators(ctx: MethodContext): Record<string, unknown>[] {
  const conv = chatForBot(ctx.world, ctx.bot, ctx.params.chatId(), 'read');
  if (conv.kind === 'private') throw badRequest('there are no administrators in the private chat');
  return [...conv.members.values()].filter((m) => m.status === 'creator' || m.status === 'administrator').map(chatMemberObject);
}

function getChatMemberCount(ctx: MethodContext): number {
  const conv = chatForBot(ctx.world, ctx.bot, ctx.params.chatId(), 'read');
  if (conv.kind === 'private') return 2;
  return [...conv.members.values()].filter((m) => m.status !== 'left' && m.status !== 'kicked').length;
}

export const chatMethods: Record<string, MethodHandler> = {
  getChat,
  getChatMember,
  getChatAdministrators,
  getChatMemberCount,
};
