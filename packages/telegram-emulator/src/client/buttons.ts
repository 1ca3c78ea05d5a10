import type { Emulator } from '../emulator.js';
import type { SentMessage } from '../control/types.js';
import type { TgUser } from '../types.js';

type Button = NonNullable<SentMessage['replyMarkup']>['inline_keyboard'][number][number];

/** Every inline button of a message, row after row. */
export function buttonsOf(message: SentMessage): Button[] {
  return message.replyMarkup?.inline_keyboard.flat() ?? [];
}

/** The labels of a message's buttons. */
export function labelsOf(message: SentMessage): string[] {
  return buttonsOf(message).map((b) => b.text);
}

/** The button labelled `text`; fails the test when there is none. */
export function buttonOf(message: SentMessage, text: string): Button {
  const found = buttonsOf(message).find((b) => b.text === text);
  if (!found) throw new Error(`no button "${text}" among ${JSON.stringify(labelsOf(message))}`);
  return found;
}

/**
 * A press with hand-made callback data on the newest message the bot sent `user` (a forged or
 * garbled client; or a plain button of a message another process sent): pushed straight into the
 * in-process emulator's update queue. Returns the callback query id.
 */
export function pressWithData(emulator: Emulator, bot: string | number, user: TgUser, data: string): string {
  const world = emulator.world;
  const record = world.bots.find(bot);
  if (!record) throw new Error(`bot ${bot} is not registered`);
  const conv = world.chats.privateChat(record.id, user.id);
  const last = [...conv.messages.values()].filter((s) => s.senderBotId !== undefined).at(-1);
  if (!last) throw new Error('the bot has sent nothing to press');
  const callback = world.callbacks.create({ botId: record.id, from: user, chatId: conv.chat.id, messageId: last.message.message_id, data });
  record.queue.push('callback_query', { id: callback.id, from: user, message: last.message, chat_instance: '1', data });
  return callback.id;
}
