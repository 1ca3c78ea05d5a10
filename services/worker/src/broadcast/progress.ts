import type { Broadcast } from '@vpn/db';
import type { I18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { broadcastControls, broadcastProgressText, handleTelegramError } from '@vpn/telegram-kit';
import type { Api } from 'grammy';

export interface ProgressDeps {
  /** The bot the admin composed the broadcast in (the progress message is its message). */
  api: Api;
  i18n: I18n;
  logger: Logger;
  now?: () => Date;
}

/**
 * Keeps the admin's progress message current: sent, blocked, failed, left, rate and the time to
 * go while it runs (the sender calls it at most every few seconds), then the report with the
 * paid-broadcast cost, with the pause/resume/cancel or "delete the copies" buttons. Only edits a
 * message the admin bot set (`progress_chat_id`/`_message_id`).
 */
export function createProgressReporter(deps: ProgressDeps): (broadcast: Broadcast, final: boolean) => Promise<void> {
  return async (b, final) => {
    if (b.progressChatId === null || b.progressMessageId === null) return;
    // In the language of the admin who started it (an unknown or absent one: ru, the source locale).
    const t = deps.i18n.forLanguage(deps.i18n.resolveLanguage(b.progressLanguage ?? 'ru'));
    const text = broadcastProgressText(t, b, final, deps.now?.() ?? new Date());
    // The buttons go with every edit (an edit without them would remove them).
    const keyboard = broadcastControls(t, b);
    try {
      await deps.api.editMessageText(b.progressChatId, b.progressMessageId, text, keyboard ? { reply_markup: keyboard } : {});
    } catch (err) {
      // "Not modified" (nothing moved since the last edit) is ignored by the policy; the rest is logged.
      await handleTelegramError(err, { logger: deps.logger });
    }
  };
}
