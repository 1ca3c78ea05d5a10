import type { Database } from '@vpn/db';
import type { I18n } from '@vpn/i18n';
import { PermanentJobError, type PayloadOf, type Processor, type notificationsQueue } from '@vpn/queues';
import { handleTelegramError } from '@vpn/telegram-kit';
import type { Api } from 'grammy';
import type { CrashStep } from '../deps.js';
import { isNotificationKind, renderNotification } from '../notify/render-notification.js';
import { sendNotification } from '../notify/send-notification.js';

/**
 * How long a claim protects a send. Long enough for a send with the client's own 429 waits, and
 * shorter than the notifications queue's retry ladder (1 s doubling, 8 attempts ≈ 2 minutes),
 * so the retries of a job whose sender died reach past the lease and send it.
 */
export const NOTIFY_LEASE_MS = 90_000;

export interface NotificationsDeps {
  db: Pick<Database, 'repos'>;
  clientApi: Api;
  i18n: I18n;
  notifyLeaseMs?: number;
  crashPoint?: (step: CrashStep) => void;
}

/** A claim still held by another attempt (alive, or dead and not yet past its lease): retried later. */
class NotificationBusyError extends Error {
  constructor(kind: string, reference: string) {
    super(`notification ${kind}:${reference} is claimed by another attempt; retried after its lease`);
    this.name = 'NotificationBusyError';
  }
}

/**
 * `notifications`: tell a customer something as the client bot, once. The send is claimed in
 * sent_notifications (user, kind, reference) as `sending`, and marked `sent` only after Telegram
 * answered, so two replicas or a redelivered job cannot both send, and a worker killed between
 * the claim and the answer does not lose the message: the claim lapses after the lease and a
 * retry sends it (a duplicate in that rare window is better than silence). A failure that may
 * pass (network, 429 beyond auto-retry, 5xx) releases the claim and retries. The telegram-kit
 * error policy decides: 403 "blocked" marks the user, the notification is dropped, not retried.
 */
export function createNotificationsProcessor(deps: NotificationsDeps): Processor<PayloadOf<typeof notificationsQueue>> {
  const leaseMs = deps.notifyLeaseMs ?? NOTIFY_LEASE_MS;
  return async ({ userId, kind, reference, params }, { log }) => {
    if (!isNotificationKind(kind)) throw new PermanentJobError(`no text for notification kind ${kind}`, 'unknown_kind');
    const user = await deps.db.repos.users.findById(Number(userId));
    if (!user) throw new PermanentJobError(`user ${userId} does not exist`, 'not_found');
    if (user.botBlockedAt) return { outcome: 'skipped_bot_blocked' };
    const key = { userId: user.id, kind, reference };
    const claim = await deps.db.repos.sentNotifications.claim(key, { leaseMs });
    if (claim === 'done') return { outcome: 'already_sent' };
    if (claim === 'busy') throw new NotificationBusyError(kind, reference);
    deps.crashPoint?.('notify:after-claim');

    const lang = deps.i18n.resolveLanguage(user.languageCode ?? undefined);
    const text = renderNotification(deps.i18n, lang, kind, params);
    let messageId: number;
    try {
      // Config kinds carry the link's QR, a copy button and a button to the bot's config screen.
      messageId = (await sendNotification(deps, { chatId: user.telegramId, lang, kind, params, text, log })).message_id;
    } catch (err) {
      const info = await handleTelegramError(err, {
        logger: log,
        onUserBlockedBot: async (telegramId) => {
          await deps.db.repos.users.markBotBlocked(telegramId);
        },
      });
      // Blocked: we must not write again; anything Telegram refused outright is not retried
      // either. Network trouble and rate limits release the claim and retry.
      if (info.kind === 'blocked' || info.kind === 'api') await deps.db.repos.sentNotifications.markDropped(key);
      if (info.kind === 'blocked') return { outcome: 'bot_blocked' };
      if (info.kind === 'api') throw new PermanentJobError(`Telegram refused the ${kind} notification`, 'api');
      await deps.db.repos.sentNotifications.release(key);
      throw err;
    }
    // Sent. If this write fails the claim lapses and a retry sends again: a duplicate, never silence.
    await deps.db.repos.sentNotifications.markSent(key);
    log.info({ userId: user.id, kind, reference, messageId }, 'notification sent');
    return { outcome: 'sent', messageId };
  };
}
