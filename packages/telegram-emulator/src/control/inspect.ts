import type { EmulatorEvent } from '../state/events.js';
import type { World } from '../state/world.js';
import { ControlError, findBot, inThread, messageView, readConversation } from './resolve.js';
import type { CallbackAnswerView, MessageQuery, SentMessage, TopicView, WaitQuery, BotRef } from './types.js';

const DEFAULT_WAIT_MS = 5_000;

export function getMessages(world: World, query: MessageQuery): SentMessage[] {
  const conv = readConversation(world, query.chatId, query.bot);
  const sender = query.sender ?? 'bot';
  const botId = query.bot !== undefined && conv.kind === 'group' ? findBot(world, query.bot).id : undefined;
  return [...conv.messages.values()]
    .filter((s) => s.seq > (query.after ?? 0) && inThread(s.message.message_thread_id, query.threadId))
    .filter((s) => (sender === 'bot' ? s.senderBotId !== undefined : sender === 'user' ? s.senderUserId !== undefined : true))
    .filter((s) => botId === undefined || s.senderBotId === botId)
    .sort((a, b) => a.message.message_id - b.message.message_id)
    .map((s) => messageView(conv, s));
}

/** Waits (event-driven) for a bot event in a chat after `after`, then reads the message it concerns. */
async function waitForBotEvent(world: World, query: WaitQuery, type: 'message' | 'edit'): Promise<SentMessage> {
  const conv = readConversation(world, query.chatId, query.bot);
  const botId = query.bot === undefined ? undefined : findBot(world, query.bot).id;
  const match = (e: EmulatorEvent): boolean =>
    e.type === type &&
    e.chatId === conv.chat.id &&
    (botId === undefined || e.botId === botId) &&
    (query.messageId === undefined || e.messageId === query.messageId) &&
    inThread(e.threadId, query.threadId);
  const timeoutMs = query.timeoutMs ?? DEFAULT_WAIT_MS;
  const where = `chat ${conv.chat.id}${query.threadId === undefined ? '' : ` topic ${query.threadId}`}`;
  const event = await world.events.waitFor(match, query.after ?? 0, timeoutMs, `a bot ${type} in ${where}`);
  const stored = conv.messages.get(event.messageId!);
  if (!stored) throw new ControlError(`message ${event.messageId} was deleted before it could be read`);
  // An edit's view reports the seq of the edit, so it can serve as the next cursor.
  return { ...messageView(conv, stored), seq: event.seq };
}

export const waitForMessage = (world: World, query: WaitQuery): Promise<SentMessage> => waitForBotEvent(world, query, 'message');
export const waitForEdit = (world: World, query: WaitQuery): Promise<SentMessage> => waitForBotEvent(world, query, 'edit');

export function getCallbackAnswers(world: World, query: { bot?: BotRef; callbackQueryId?: string }): CallbackAnswerView[] {
  const botId = query.bot === undefined ? undefined : findBot(world, query.bot).id;
  return world.callbacks
    .list(botId)
    .filter((c) => query.callbackQueryId === undefined || c.id === query.callbackQueryId)
    .map((c) => {
      const view: CallbackAnswerView = {
        callbackQueryId: c.id,
        botId: c.botId,
        userId: c.from.id,
        chatId: c.chatId,
        messageId: c.messageId,
        answered: c.answer !== undefined,
      };
      if (c.data !== undefined) view.data = c.data;
      if (c.answer) {
        view.showAlert = c.answer.show_alert;
        if (c.answer.text !== undefined) view.text = c.answer.text;
        if (c.answer.url !== undefined) view.url = c.answer.url;
      }
      return view;
    });
}

export async function waitForCallbackAnswer(
  world: World,
  input: { callbackQueryId: string; timeoutMs?: number },
): Promise<CallbackAnswerView> {
  if (!world.callbacks.get(input.callbackQueryId)) throw new ControlError(`unknown callback query ${input.callbackQueryId}`);
  await world.events.waitFor(
    (e) => e.type === 'callback_answer' && e.detail?.callbackQueryId === input.callbackQueryId,
    0,
    input.timeoutMs ?? DEFAULT_WAIT_MS,
    `an answer to callback query ${input.callbackQueryId}`,
  );
  return getCallbackAnswers(world, { callbackQueryId: input.callbackQueryId })[0]!;
}

export function getTopics(world: World, input: { chatId: number }): TopicView[] {
  const conv = readConversation(world, input.chatId, undefined);
  if (conv.kind !== 'group') return [];
  return [...conv.topics.values()].map((t) => ({
    threadId: t.threadId,
    name: t.name,
    iconColor: t.iconColor,
    closed: t.closed,
    ...(t.archived ? { archived: true } : {}),
    ...(t.iconCustomEmojiId ? { iconCustomEmojiId: t.iconCustomEmojiId } : {}),
  }));
}
