import { botUser } from '../state/bots.js';
import type { Conversation, StoredMessage } from '../state/chats.js';
import { storeMessage } from '../state/post.js';
import { chatForBot, hasRight } from './access.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';

function pinnable(ctx: MethodContext): Conversation {
  const conv = chatForBot(ctx.world, ctx.bot, ctx.params.chatId(), 'send');
  if (conv.kind === 'group' && !hasRight(conv, ctx.bot.id, 'can_pin_messages'))
    throw badRequest('not enough rights to manage pinned messages in the chat');
  return conv;
}

function messageOf(ctx: MethodContext, conv: Conversation): StoredMessage {
  const stored = conv.messages.get(ctx.params.reqInt('message_id', 'message identifier is not specified'));
  if (!stored) throw badRequest('message to pin not found');
  return stored;
}

/**
 * pinChatMessage: in a forum the message is pinned inside its topic, and a `pinned_message`
 * service message appears there (from the bot; other bots see it as a message update only if
 * they are admins, which the emulator does not deliver for bot-sent messages).
 */
function pinChatMessage(ctx: MethodContext): true {
  const conv = pinnable(ctx);
  const stored = messageOf(ctx, conv);
  if (stored.pinned) return true;
  stored.pinned = true;
  const threadId = stored.message.message_thread_id;
  const { reply_to_message: _r, ...pinned } = stored.message;
  storeMessage(ctx.world, conv, {
    from: botUser(ctx.bot),
    senderBotId: ctx.bot.id,
    content: { pinned_message: structuredClone(pinned) },
    ...(threadId === undefined ? {} : { threadId }),
  });
  return true;
}

/** unpinChatMessage: the named message, or the newest pinned one. */
function unpinChatMessage(ctx: MethodContext): true {
  const conv = pinnable(ctx);
  const stored = ctx.params.has('message_id')
    ? messageOf(ctx, conv)
    : [...conv.messages.values()].filter((m) => m.pinned).sort((a, b) => b.message.message_id - a.message.message_id)[0];
  if (!stored?.pinned) throw badRequest(TG.messageToEditNotFound.replace('edit', 'unpin'));
  delete stored.pinned;
  return true;
}

function unpinAllChatMessages(ctx: MethodContext): true {
  const conv = pinnable(ctx);
  for (const stored of conv.messages.values()) delete stored.pinned;
  return true;
}

export const pinMethods: Record<string, MethodHandler> = { pinChatMessage, unpinChatMessage, unpinAllChatMessages };
