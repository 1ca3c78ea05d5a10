import type { SupportRelay, User } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { classifyTelegramError } from '@vpn/telegram-kit';
import { drainRelays, type DrainResult } from './drain.js';
import { staffT, type SupportRelayDeps } from './relay-deps.js';

/**
 * Topic → customer, through the client bot (the only bot the customer talks to). Staff replies
 * stay replies (to the customer's own message the staff member answered). A customer who blocked
 * the client bot: everything pending is dropped, the user is marked, and staff are told in the
 * topic once.
 */
export async function relayToCustomer(deps: SupportRelayDeps, user: User, log: Logger): Promise<DrainResult & { blocked?: true }> {
  const repos = deps.db.repos;
  const { ticket } = await repos.support.openOrGet({ userId: user.id });
  const copy = async (batch: SupportRelay[]): Promise<number[]> => {
    const first = batch[0]!;
    if (batch.length > 1) {
      const copies = await deps.clientApi.copyMessages(
        user.telegramId,
        deps.supportChatId,
        batch.map((r) => r.messageId),
      );
      return batch.map((_, i) => copies[i]?.message_id ?? copies.at(-1)!.message_id);
    }
    const replied =
      first.replyToMessageId === null ? null : await repos.support.findLinkBySupportMessage(deps.supportChatId, first.replyToMessageId);
    const copyResult = await deps.clientApi.copyMessage(user.telegramId, deps.supportChatId, first.messageId, {
      ...(replied ? { reply_parameters: { message_id: replied.clientMessageId, allow_sending_without_reply: true } } : {}),
    });
    return [copyResult.message_id];
  };
  try {
    const result = await drainRelays(
      deps,
      user,
      'out',
      copy,
      async (batch, copyIds) => {
        for (const [i, row] of batch.entries()) {
          await repos.support.addLink({
            ticketId: ticket.id,
            direction: 'out',
            clientChatId: user.telegramId,
            clientMessageId: copyIds[i]!,
            supportChatId: deps.supportChatId,
            supportMessageId: row.messageId,
          });
        }
        await repos.support.touch(ticket.id, 'answered');
      },
      log,
    );
    return result;
  } catch (err) {
    if (classifyTelegramError(err).kind !== 'blocked') throw err;
    return customerBlocked(deps, user, log);
  }
}

async function customerBlocked(deps: SupportRelayDeps, user: User, log: Logger): Promise<DrainResult & { blocked: true }> {
  const repos = deps.db.repos;
  const rows = await repos.supportRelays.unfinished(user.id, 'out');
  await repos.supportRelays.drop(
    rows.map((r) => r.id),
    'customer blocked the client bot',
  );
  await repos.users.markBotBlocked(user.telegramId);
  const topic = await repos.supportRelays.getTopic(user.id);
  if (topic && (await repos.supportRelays.noticeOnce(user.id, 'blocked'))) {
    await deps.clientApi.sendMessage(deps.supportChatId, staffT(deps.i18n)('support.relay.customerBlocked'), {
      message_thread_id: topic.threadId,
      parse_mode: 'HTML',
    });
  }
  log.warn({ userId: user.id, dropped: rows.length }, 'support reply not delivered: the customer blocked the client bot');
  return { sent: 0, dropped: rows.length, blocked: true };
}
