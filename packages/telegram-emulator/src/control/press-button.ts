import type { StoredMessage } from '../state/chats.js';
import type { World } from '../state/world.js';
import type { TgInlineButton } from '../types.js';
import { ControlError, findBot, findUser, inThread, userConversation } from './resolve.js';
import type { PressButtonInput, PressResult } from './types.js';

function findButton(stored: StoredMessage, input: PressButtonInput): TgInlineButton | undefined {
  const buttons = stored.message.reply_markup?.inline_keyboard.flat() ?? [];
  return buttons.find(
    (b) => (input.data === undefined || b.callback_data === input.data) && (input.text === undefined || b.text === input.text),
  );
}

/**
 * Presses an inline button the way a user does: on the bot's newest message that has a matching
 * button (by label and/or exact callback data), or on `messageId`. The bot gets a
 * `callback_query` with a copy of that message, and must answer it in time.
 */
export function pressButton(world: World, input: PressButtonInput): PressResult {
  if (input.text === undefined && input.data === undefined) throw new ControlError('give the button text or data');
  const user = findUser(world, input.from);
  const conv = userConversation(world, input);
  const onlyBot = input.bot !== undefined && conv.kind === 'group' ? findBot(world, input.bot).id : undefined;
  const candidates = [...conv.messages.values()]
    .filter((s) => s.senderBotId !== undefined && (onlyBot === undefined || s.senderBotId === onlyBot))
    .filter((s) =>
      input.messageId === undefined ? inThread(s.message.message_thread_id, input.threadId) : s.message.message_id === input.messageId,
    )
    .sort((a, b) => b.message.message_id - a.message.message_id);
  let stored: StoredMessage | undefined;
  let button: TgInlineButton | undefined;
  for (const candidate of candidates) {
    button = findButton(candidate, input);
    if (button) {
      stored = candidate;
      break;
    }
  }
  const what = input.text !== undefined ? `"${input.text}"` : `with data "${input.data}"`;
  if (!stored || !button) throw new ControlError(`no button ${what} on the bot's messages in chat ${conv.chat.id}`);
  if (button.callback_data === undefined) throw new ControlError(`button ${what} is not a callback button`);
  const bot = world.bots.byId(stored.senderBotId!);
  if (!bot) throw new ControlError('the bot that sent this message is no longer registered');
  const record = world.callbacks.create({
    botId: bot.id,
    from: user,
    chatId: conv.chat.id,
    messageId: stored.message.message_id,
    data: button.callback_data,
  });
  const update = bot.queue.push('callback_query', {
    id: record.id,
    from: user,
    message: stored.message,
    chat_instance: String(Math.abs(conv.chat.id * 31 + bot.id)),
    data: button.callback_data,
  });
  const event = world.events.emit({
    type: 'callback_query',
    botId: bot.id,
    chatId: conv.chat.id,
    messageId: stored.message.message_id,
    userId: user.id,
    detail: { callbackQueryId: record.id, data: button.callback_data },
  });
  return {
    seq: event.seq,
    callbackQueryId: record.id,
    chatId: conv.chat.id,
    messageId: stored.message.message_id,
    data: button.callback_data,
    updateIds: update ? [update.update_id] : [],
  };
}
