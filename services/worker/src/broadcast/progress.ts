import type { Broadcast } from '@vpn/db';
import type { I18n, Language } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { handleTelegramError } from '@vpn/telegram-kit';
import type { Api } from 'grammy';

export interface ProgressDeps {
  /** The bot the admin composed the broadcast in (the progress message is its message). */
  api: Api;
  i18n: I18n;
  logger: Logger;
  /** The admin's language; ru (the source locale) by default. */
  lang?: Language;
  now?: () => Date;
}

/**
 * Keeps the admin's progress message current: sent, blocked, failed, left, rate and the time to
 * go while it runs (the sender calls it at most every few seconds), then the report with the
 * paid-broadcast cost. Only edits a message the admin bot set (`progress_chat_id`/`_message_id`).
 */
export function createProgressReporter(deps: ProgressDeps): (broadcast: Broadcast, final: boolean) => Promise<void> {
  const lang = deps.lang ?? 'ru';
  return async (b, final) => {
    if (b.progressChatId === null || b.progressMessageId === null) return;
    const done = b.sentCount + b.blockedCount + b.failedCount;
    const left = Math.max(0, b.totalCount - done);
    const status = deps.i18n.t(lang, `notifications.broadcast.status.${b.status}`);
    const vars = { id: b.id, status, sent: b.sentCount, blocked: b.blockedCount, failed: b.failedCount, left, total: b.totalCount };
    let text: string;
    if (final || b.status !== 'running') {
      text = deps.i18n.t(lang, 'notifications.broadcast.report', vars);
      if (b.paidCount > 0)
        text += `\n${deps.i18n.t(lang, 'notifications.broadcast.paidCost', { paid: b.paidCount, stars: b.paidCount / 10 })}`;
    } else {
      const seconds = Math.max(1, ((deps.now?.() ?? new Date()).getTime() - (b.startedAt ?? b.createdAt).getTime()) / 1000);
      const rate = done / seconds;
      const minutes = rate > 0 ? Math.ceil(left / rate / 60) : '—';
      text = deps.i18n.t(lang, 'notifications.broadcast.progress', { ...vars, rate: rate.toFixed(1), minutes });
    }
    try {
      await deps.api.editMessageText(b.progressChatId, b.progressMessageId, text);
    } catch (err) {
      // "Not modified" (nothing moved since the last edit) is ignored by the policy; the rest is logged.
      await handleTelegramError(err, { logger: deps.logger });
    }
  };
}
