import type { GroupConversation } from './chats.js';
import type { World } from './world.js';

/** Custom emoji ids the emulator offers as topic icons (getForumTopicIconStickers). */
export const TOPIC_ICON_EMOJI_IDS = ['5312536423851630001', '5312536423851630002', '5312536423851630003', '5312536423851630004'] as const;

/**
 * Deletes a topic and every message in it (by a bot's deleteForumTopic or by hand). Telegram sends
 * no update for this; the event log records it for tests.
 */
export function removeTopic(world: World, conv: GroupConversation, threadId: number, by: { botId?: number; userId?: number }): void {
  conv.topics.delete(threadId);
  for (const [id, stored] of conv.messages) {
    if (stored.message.message_thread_id === threadId) conv.messages.delete(id);
  }
  world.events.emit({ type: 'delete', chatId: conv.chat.id, threadId, detail: { topic: true }, ...by });
}
