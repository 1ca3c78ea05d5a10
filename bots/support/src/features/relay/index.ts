import { supportEditOf } from '@vpn/queues';
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { SupportContext } from '../../context.js';
import type { FeatureDeps } from '../../deps.js';

/** How long the note prefix setting is trusted before it is read again. */
const PREFIX_TTL_MS = 30_000;

/** Staff albums arrive as separate updates: the relay waits this long so it copies the album whole. */
const ALBUM_SETTLE_MS = 1_500;

/** The topic-opening message is the thread root every topic message "replies" to; that is no reply. */
function repliedMessageId(message: Message): number | undefined {
  const replied = message.reply_to_message?.message_id;
  return replied === undefined || replied === message.message_thread_id ? undefined : replied;
}

/**
 * Staff → customer: a message a staff member writes in a customer's topic is recorded and queued
 * for the worker, which copies it to the customer as the client bot. Commands (`/note` included),
 * notes by the `support.notePrefix` setting and service messages are never relayed; a topic that belongs to no customer is ignored.
 */
export function createRelayFeature(deps: FeatureDeps): Composer<SupportContext> {
  const composer = new Composer<SupportContext>();
  let prefix: { value: string; at: number } | undefined;
  /** A staff-only note: a command (`/note …`) or a message starting with `support.notePrefix`. */
  const isNote = async (message: Message): Promise<boolean> => {
    const text = message.text ?? message.caption ?? '';
    if (text.startsWith('/')) return true;
    if (!prefix || Date.now() - prefix.at > PREFIX_TTL_MS)
      prefix = { value: (await deps.db.repos.settings.getKnown('support.notePrefix')).trim(), at: Date.now() };
    return prefix.value !== '' && text.trimStart().startsWith(prefix.value);
  };
  composer.on('message').filter(
    (ctx) => ctx.message.is_topic_message === true && !ctx.from?.is_bot,
    async (ctx) => {
      const message = ctx.message;
      if (await isNote(message)) return;
      const threadId = message.message_thread_id!;
      const topic = await deps.db.repos.supportRelays.findTopicByThread(deps.supportChatId, threadId);
      if (!topic || !hasRelayableContent(message)) return;
      const replyTo = repliedMessageId(message);
      await deps.db.repos.supportRelays.record({
        userId: topic.userId,
        direction: 'out',
        fromChatId: message.chat.id,
        messageId: message.message_id,
        staffTelegramId: ctx.from.id,
        ...(message.media_group_id ? { mediaGroupId: message.media_group_id } : {}),
        ...(replyTo === undefined ? {} : { replyToMessageId: replyTo }),
      });
      await deps.producers.supportRelay.add(
        {
          direction: 'to_customer',
          userId: String(topic.userId),
          fromChatId: message.chat.id,
          messageId: message.message_id,
          staffTelegramId: ctx.from.id,
        },
        message.media_group_id ? { delay: ALBUM_SETTLE_MS } : {},
      );
      ctx.logger.info({ userId: topic.userId, messageId: message.message_id }, 'staff message queued for the customer');
    },
  );
  // A staff member edited a message the customer got: the customer's copy follows (the worker
  // edits it as the client bot). Edits of notes, commands and anything never relayed stay here.
  composer.on('edited_message').filter(
    (ctx) => ctx.editedMessage.is_topic_message === true && !ctx.from?.is_bot,
    async (ctx) => {
      const message = ctx.editedMessage;
      const topic = await deps.db.repos.supportRelays.findTopicByThread(deps.supportChatId, message.message_thread_id!);
      if (!topic || !(await deps.db.repos.supportRelays.copyOf('out', message.chat.id, message.message_id))) return;
      await deps.producers.supportRelay.add({
        direction: 'to_customer',
        userId: String(topic.userId),
        fromChatId: message.chat.id,
        messageId: message.message_id,
        staffTelegramId: ctx.from.id,
        edit: supportEditOf(message),
      });
      ctx.logger.info({ userId: topic.userId, messageId: message.message_id }, 'staff edit queued for the customer');
    },
  );
  return composer;
}

/** Service messages (topic closed, pinned, members joined) carry no content for the customer. */
function hasRelayableContent(m: Message): boolean {
  return Boolean(
    m.text ?? m.photo ?? m.document ?? m.voice ?? m.video ?? m.video_note ?? m.sticker ?? m.audio ?? m.animation ?? m.location ?? m.contact,
  );
}
