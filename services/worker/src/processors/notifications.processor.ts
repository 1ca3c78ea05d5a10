import type { Database } from '@vpn/db';
import type { I18n } from '@vpn/i18n';
import { PermanentJobError, type PayloadOf, type Processor, type notificationsQueue } from '@vpn/queues';
import { handleTelegramError } from '@vpn/telegram-kit';
import type { Api } from 'grammy';
import { isNotificationKind, renderNotification } from '../notify/render-notification.js';
import { sendNotification } from '../notify/send-notification.js';

export interface NotificationsDeps {
  db: Pick<Database, 'repos'>;
  clientApi: Api;
  i18n: I18n;
}

/**
 * `notifications`: tell a customer something as the client bot, once. The send is claimed in
 * sent_notifications (user, kind, reference) first, so two replicas or a redelivered job cannot
 * both send; a failure that may pass (network, 429 beyond auto-retry, 5xx) releases the claim and
 * retries. The telegram-kit error policy decides: 403 "blocked" marks the user and is not retried.
 */
export function createNotificationsProcessor(deps: NotificationsDeps): Processor<PayloadOf<typeof notificationsQueue>> {
  return async ({ userId, kind, reference, params }, { log }) => {
    if (!isNotificationKind(kind)) throw new PermanentJobError(`no text for notification kind ${kind}`, 'unknown_kind');
    const user = await deps.db.repos.users.findById(Number(userId));
    if (!user) throw new PermanentJobError(`user ${userId} does not exist`, 'not_found');
    if (user.botBlockedAt) return { outcome: 'skipped_bot_blocked' };
    const key = { userId: user.id, kind, reference };
    if (!(await deps.db.repos.sentNotifications.insertOnce(key))) return { outcome: 'already_sent' };

    const lang = deps.i18n.resolveLanguage(user.languageCode ?? undefined);
    const text = renderNotification(deps.i18n, lang, kind, params);
    try {
      // Config kinds carry the link's QR, a copy button and a button to the bot's config screen.
      const message = await sendNotification(deps, { chatId: user.telegramId, lang, kind, params, text, log });
      log.info({ userId: user.id, kind, reference, messageId: message.message_id }, 'notification sent');
      return { outcome: 'sent', messageId: message.message_id };
    } catch (err) {
      const info = await handleTelegramError(err, {
        logger: log,
        onUserBlockedBot: async (telegramId) => {
          await deps.db.repos.users.markBotBlocked(telegramId);
        },
      });
      // Blocked: the claim stays (we must not write again); anything Telegram refused outright is
      // not retried either. Network trouble and rate limits release the claim and retry.
      if (info.kind === 'blocked') return { outcome: 'bot_blocked' };
      if (info.kind === 'api') throw new PermanentJobError(`Telegram refused the ${kind} notification`, 'api');
      await deps.db.repos.sentNotifications.release(key);
      throw err;
    }
  };
}
