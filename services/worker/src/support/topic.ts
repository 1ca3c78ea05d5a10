import type { User } from '@vpn/db';
import { customerTopicName } from '@vpn/telegram-kit';
import { GrammyError } from 'grammy';
import { staffT, type SupportRelayDeps } from './relay-deps.js';

/** A new topic is named as the support bot renames it later (the ticket's state mark comes then). */
export const topicName = (user: User): string => customerTopicName(user);

/**
 * The customer's topic, created on first need (as the client bot, an admin with
 * can_manage_topics). Only the holder of the customer's oldest relay claim gets here, so two
 * topics are never made for one customer. A 429 on creation propagates: the job retries at
 * Telegram's pace and nothing is lost. A replaced topic (deleted or archived by hand) is named in
 * the new one.
 */
export async function ensureTopic(deps: SupportRelayDeps, user: User, replace = false): Promise<number> {
  const repo = deps.db.repos.supportRelays;
  const existing = await repo.getTopic(user.id);
  if (existing && !replace) return existing.threadId;
  const created = await deps.clientApi.createForumTopic(deps.supportChatId, topicName(user));
  const saved = await repo.saveTopic(user.id, deps.supportChatId, created.message_thread_id);
  if (saved.previousThreadId !== null) {
    const text = staffT(deps.i18n)('support.relay.previousTopic', { threadId: saved.previousThreadId });
    await deps.clientApi.sendMessage(deps.supportChatId, text, { message_thread_id: saved.threadId, parse_mode: 'HTML' });
  }
  return saved.threadId;
}

/** A ticket that starts in an existing topic reopens it (closed by hand or by /close); open stays open. */
export async function reopenTopic(deps: SupportRelayDeps, threadId: number): Promise<void> {
  try {
    await deps.clientApi.reopenForumTopic(deps.supportChatId, threadId);
  } catch (err) {
    if (err instanceof GrammyError && /TOPIC_NOT_MODIFIED/.test(err.description)) return;
    throw err;
  }
}
