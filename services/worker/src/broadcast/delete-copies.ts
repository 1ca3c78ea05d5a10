import type { Logger } from '@vpn/logger';
import { classifyTelegramError } from '@vpn/telegram-kit';
import type { BroadcastSenderDeps } from './broadcast-sender.js';

/**
 * "Delete the sent copies": deletes each sent message of a broadcast that Telegram still lets the
 * bot delete (48 h), at the bulk lane's pace, marking each row. A copy Telegram says is gone (the
 * customer deleted the chat) counts as deleted; a 429 pauses every sender and the job goes on.
 */
export async function deleteSentCopies(deps: BroadcastSenderDeps, broadcastId: number, log: Logger): Promise<{ deleted: number }> {
  const repo = deps.db.repos.broadcasts;
  let deleted = 0;
  for (;;) {
    const rows = await repo.listDeletable(broadcastId, 100);
    if (rows.length === 0) return { deleted };
    for (const row of rows) {
      await deps.sendLimiter.acquire(deps.botId, row.telegramId, { lane: 'bulk' });
      try {
        await deps.bulkApi.deleteMessage(row.telegramId, row.messageId ?? 0);
        deleted++;
      } catch (err) {
        const info = classifyTelegramError(err);
        if (info.kind === 'rate-limited') {
          await deps.sendLimiter.pause(deps.botId, info.retryAfter ?? 1);
          continue;
        }
        if (info.kind === 'network') throw err;
        log.info({ broadcastId, deliveryId: row.id, kind: info.kind }, 'broadcast copy not deleted (gone already or too old)');
      }
      await repo.markDeleted(row.id);
    }
  }
}
