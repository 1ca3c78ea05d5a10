import type { SupportRelay, User } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { drainRelays, type DrainResult } from './drain.js';
import { isThreadGone, isUncopyable, staffT, type SupportRelayDeps } from './relay-deps.js';
import { ensureTopic, reopenTopic } from './topic.js';

/** What a message that cannot be copied (an invoice, a paid media, a service message) is called for staff. */
function describeKind(row: SupportRelay): string {
  return `#${row.messageId}`;
}

/**
 * Customer → topic. A customer banned from support is told politely, once, and nothing they
 * write is relayed (their subscription is not touched). Otherwise their unfinished messages are
 * copied into their topic (created on first need, recreated when deleted or archived by hand),
 * albums as albums, replies as replies to the copy of the replied message; a message Telegram
 * cannot copy is described in text. A fresh ticket reopens a topic that was closed.
 */
export async function relayToTopic(deps: SupportRelayDeps, user: User, log: Logger): Promise<DrainResult & { banned?: true }> {
  const repos = deps.db.repos;
  const topic = await repos.supportRelays.getTopic(user.id);
  if (topic?.bannedAt) {
    const rows = await repos.supportRelays.unfinished(user.id, 'in');
    await repos.supportRelays.drop(
      rows.map((r) => r.id),
      'banned',
    );
    if (rows.length > 0 && (await repos.supportRelays.noticeOnce(user.id, 'ban'))) {
      const t = deps.i18n.forLanguage(deps.i18n.resolveLanguage(user.languageCode ?? undefined));
      await deps.clientApi.sendMessage(user.telegramId, t('support.relay.banned'), { parse_mode: 'HTML' });
    }
    return { sent: 0, dropped: rows.length, banned: true };
  }
  const { ticket } = await repos.support.openOrGet({ userId: user.id });

  const copyOnce = async (batch: SupportRelay[], threadId: number): Promise<number[]> => {
    const first = batch[0]!;
    if (first.note) {
      await deps.clientApi.sendMessage(deps.supportChatId, first.note, { message_thread_id: threadId, parse_mode: 'HTML' });
    }
    if (batch.length > 1) {
      const copies = await deps.clientApi.copyMessages(
        deps.supportChatId,
        first.fromChatId,
        batch.map((r) => r.messageId),
        { message_thread_id: threadId },
      );
      return batch.map((_, i) => copies[i]?.message_id ?? copies.at(-1)!.message_id);
    }
    const replied =
      first.replyToMessageId === null ? null : await repos.support.findLinkByClientMessage(first.fromChatId, first.replyToMessageId);
    try {
      const copy = await deps.clientApi.copyMessage(deps.supportChatId, first.fromChatId, first.messageId, {
        message_thread_id: threadId,
        ...(replied ? { reply_parameters: { message_id: replied.supportMessageId, allow_sending_without_reply: true } } : {}),
      });
      return [copy.message_id];
    } catch (err) {
      if (!isUncopyable(err)) throw err;
      const text = staffT(deps.i18n)('support.relay.uncopyable', { what: describeKind(first) });
      return [(await deps.clientApi.sendMessage(deps.supportChatId, text, { message_thread_id: threadId, parse_mode: 'HTML' })).message_id];
    }
  };

  return drainRelays(
    deps,
    user,
    'in',
    async (batch) => {
      let threadId = await ensureTopic(deps, user);
      if (ticket.topicId === null || ticket.topicId !== threadId) {
        await reopenOrReplace();
      }
      try {
        return await copyOnce(batch, threadId);
      } catch (err) {
        if (!isThreadGone(err)) throw err;
        // Deleted or archived by hand: a new topic, mapped again, the old one named in it.
        threadId = await ensureTopic(deps, user, true);
        await repos.support.setTopic(ticket.id, threadId);
        ticket.topicId = threadId;
        return copyOnce(batch, threadId);
      }

      async function reopenOrReplace(): Promise<void> {
        try {
          await reopenTopic(deps, threadId);
        } catch (err) {
          if (!isThreadGone(err)) throw err;
          threadId = await ensureTopic(deps, user, true);
        }
        await repos.support.setTopic(ticket.id, threadId);
        ticket.topicId = threadId;
      }
    },
    async (batch, copyIds) => {
      for (const [i, row] of batch.entries()) {
        await repos.support.addLink({
          ticketId: ticket.id,
          direction: 'in',
          clientChatId: row.fromChatId,
          clientMessageId: row.messageId,
          supportChatId: deps.supportChatId,
          supportMessageId: copyIds[i]!,
        });
      }
    },
    log,
  );
}
