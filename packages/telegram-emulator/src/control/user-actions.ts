import { resolveThread } from '../api/access.js';
import { unixNow } from '../api/context.js';
import { withAutoEntities } from '../html/auto-entities.js';
import { MAX_CAPTION, MAX_TEXT } from '../html/compose-text.js';
import { CAPTIONED, mediaKindOf } from '../api/media-objects.js';
import { botUser } from '../state/bots.js';
import type { Conversation, StoredMessage } from '../state/chats.js';
import { deliverToBots, storeMessage } from '../state/post.js';
import type { World } from '../state/world.js';
import type { TgMessage, TgUser } from '../types.js';
import { ControlError, findBot, findUser, messageView, userConversation } from './resolve.js';
import type { ActionResult, BlockInput, ChatTarget, EditCaptionInput, EditTextInput, SendCommandInput, SendTextInput } from './types.js';

/** Resolves where a user posts and checks they may: not blocked, topic open. */
export function prepareUserPost(
  world: World,
  target: ChatTarget & { replyTo?: number },
): {
  conv: Conversation;
  user: TgUser;
  threadId?: number;
  replyTo?: StoredMessage;
} {
  const user = findUser(world, target.from);
  const conv = userConversation(world, target);
  if (conv.kind === 'private') {
    if (conv.blocked) throw new ControlError('the user has blocked this bot: unblockBot first');
    conv.started = true;
  }
  const replyTo = target.replyTo === undefined ? undefined : conv.messages.get(target.replyTo);
  if (target.replyTo !== undefined && !replyTo) throw new ControlError(`message ${target.replyTo} not found`);
  const threadId = resolveThread(conv, target.threadId ?? replyTo?.message.message_thread_id, user.id, true);
  return {
    conv,
    user,
    ...(threadId === undefined ? {} : { threadId }),
    ...(replyTo ? { replyTo } : {}),
  };
}

/** Posts a user's message and queues it as an update for the bots that see it. */
export function postAsUser(world: World, target: ChatTarget & { replyTo?: number }, content: Partial<TgMessage>): ActionResult {
  const { conv, user, threadId, replyTo } = prepareUserPost(world, target);
  const stored = storeMessage(world, conv, {
    from: user,
    content,
    ...(threadId === undefined ? {} : { threadId }),
    ...(replyTo ? { replyTo } : {}),
  });
  const updateIds = deliverToBots(world, conv, stored);
  return {
    seq: stored.seq,
    chatId: conv.chat.id,
    messageId: stored.message.message_id,
    message: messageView(conv, stored).message,
    updateIds,
  };
}

function textContent(text: string, explicit: SendTextInput['entities']): Partial<TgMessage> {
  if (text.trim() === '') throw new ControlError('text is empty');
  if (text.length > MAX_TEXT) throw new ControlError(`text is longer than ${MAX_TEXT} characters`);
  const entities = withAutoEntities(text, explicit ?? []);
  return entities.length > 0 ? { text, entities } : { text };
}

export function sendText(world: World, input: SendTextInput): ActionResult {
  return postAsUser(world, input, textContent(input.text, input.entities));
}

/** "/start ref_abc": a command with its payload, carrying the `bot_command` entity. */
export function sendCommand(world: World, input: SendCommandInput): ActionResult {
  const command = input.command.replace(/^\//, '');
  const text = input.payload ? `/${command} ${input.payload}` : `/${command}`;
  return sendText(world, { ...input, text });
}

function ownUserMessage(world: World, input: ChatTarget & { messageId: number }): { conv: Conversation; stored: StoredMessage } {
  const conv = userConversation(world, input);
  const stored = conv.messages.get(input.messageId);
  if (stored?.senderUserId !== input.from) throw new ControlError(`user ${input.from} has no message ${input.messageId} here`);
  return { conv, stored };
}

/** A user edits their own message; bots get `edited_message`. */
export function editText(world: World, input: EditTextInput): ActionResult {
  const { conv, stored } = ownUserMessage(world, input);
  if (stored.message.text === undefined) throw new ControlError('only text messages can be edited here');
  const content = textContent(input.text, undefined);
  stored.message.text = content.text;
  if (content.entities) stored.message.entities = content.entities;
  else delete stored.message.entities;
  return announceEdit(world, conv, stored, input);
}

/** A user edits the caption of their own media message; bots get `edited_message`. */
export function editCaption(world: World, input: EditCaptionInput): ActionResult {
  const { conv, stored } = ownUserMessage(world, input);
  const kind = mediaKindOf(stored.message);
  if (kind === undefined || !CAPTIONED.has(kind)) throw new ControlError('this message has no caption to edit');
  if (input.caption.length > MAX_CAPTION) throw new ControlError(`caption is longer than ${MAX_CAPTION} characters`);
  const entities = withAutoEntities(input.caption, []);
  stored.message.caption = input.caption;
  if (entities.length > 0) stored.message.caption_entities = entities;
  else delete stored.message.caption_entities;
  return announceEdit(world, conv, stored, input);
}

function announceEdit(world: World, conv: Conversation, stored: StoredMessage, input: ChatTarget & { messageId: number }): ActionResult {
  stored.message.edit_date = unixNow();
  const event = world.events.emit({
    type: 'user_edit',
    chatId: conv.chat.id,
    messageId: input.messageId,
    userId: input.from,
  });
  const updateIds = deliverToBots(world, conv, stored, 'edited_message');
  return {
    seq: event.seq,
    chatId: conv.chat.id,
    messageId: input.messageId,
    message: messageView(conv, stored).message,
    updateIds,
  };
}

/** Blocking or unblocking a bot: Telegram tells the bot with a `my_chat_member` update. */
function setBlocked(world: World, input: BlockInput, blocked: boolean): { seq: number; updateIds: number[] } {
  const user = findUser(world, input.from);
  const bot = findBot(world, input.bot);
  const conv = world.chats.privateChat(bot.id, user.id);
  if (conv.blocked === blocked) throw new ControlError(blocked ? 'already blocked' : 'not blocked');
  conv.blocked = blocked;
  const member = { user: botUser(bot), status: 'member' };
  const kicked = { user: botUser(bot), status: 'kicked', until_date: 0 };
  const update = bot.queue.push('my_chat_member', {
    chat: conv.chat,
    from: user,
    date: unixNow(),
    old_chat_member: blocked ? member : kicked,
    new_chat_member: blocked ? kicked : member,
  });
  const event = world.events.emit({
    type: blocked ? 'block' : 'unblock',
    botId: bot.id,
    chatId: user.id,
    userId: user.id,
  });
  return { seq: event.seq, updateIds: update ? [update.update_id] : [] };
}

export const blockBot = (world: World, input: BlockInput): { seq: number; updateIds: number[] } => setBlocked(world, input, true);
export const unblockBot = (world: World, input: BlockInput): { seq: number; updateIds: number[] } => setBlocked(world, input, false);
