import type { Database } from '@vpn/db';
import { escapeHtml, type I18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { GrammyError, type Api } from 'grammy';

export interface SlaWatchDeps {
  /** The support bot's API (it manages topics in the forum). */
  api: Api;
  db: Pick<Database, 'repos'>;
  i18n: I18n;
  chatId: number;
  logger: Logger;
  now?: () => Date;
}

/** Lines in the summary: the longest waits (the message stays far below 4096 characters). */
const SUMMARY_LINES = 30;

const gone = (err: unknown) =>
  err instanceof GrammyError && /message to edit not found|message thread not found|MESSAGE_ID_INVALID/i.test(err.description);
const notModified = (err: unknown) => err instanceof GrammyError && /message is not modified/i.test(err.description);

/**
 * The SLA: a customer message unanswered for longer than `support.slaMinutes` (settings) is
 * flagged once in its topic (each ticket claimed once in the database, so replicas never flag
 * twice), and a summary topic lists the tickets waiting for staff, longest wait first, in one
 * message edited in place. `tick()` runs both; main runs it every minute.
 */
export function createSlaWatch(deps: SlaWatchDeps) {
  const now = deps.now ?? (() => new Date());
  const t = deps.i18n.forLanguage(deps.i18n.languages[0]!);
  const { repos } = deps.db;
  let lastSummary = '';

  const minutesSince = (date: Date) => Math.max(0, Math.floor((now().getTime() - date.getTime()) / 60_000));

  async function flag(slaMinutes: number): Promise<number> {
    const overdue = await repos.support.flagOverdue(new Date(now().getTime() - slaMinutes * 60_000));
    for (const ticket of overdue) {
      if (ticket.topicId === null || ticket.awaitingSince === null) continue;
      const text = t('support.sla.flag', { minutes: minutesSince(ticket.awaitingSince), limit: slaMinutes });
      await deps.api.sendMessage(deps.chatId, text, { message_thread_id: ticket.topicId, parse_mode: 'HTML' }).catch((err: unknown) => {
        // A topic deleted by hand: the summary still lists the ticket.
        if (!gone(err)) throw err;
      });
    }
    return overdue.length;
  }

  async function summaryText(slaMinutes: number): Promise<string> {
    const waiting = await repos.support.listAwaiting(SUMMARY_LINES);
    if (waiting.length === 0) return t('support.sla.summaryEmpty');
    const lines = waiting.map((w) => {
      const minutes = minutesSince(w.awaitingSince!);
      const who = escapeHtml(w.firstName ?? (w.username ? `@${w.username}` : `#${w.userId}`));
      return `${minutes >= slaMinutes ? '⏰' : '•'} ${t('support.sla.line', { ticket: w.id, who, minutes, user: w.userId })}`;
    });
    return `<b>${t('support.sla.summaryTitle', { limit: slaMinutes })}</b>\n${lines.join('\n')}`;
  }

  async function publish(text: string): Promise<void> {
    if (text === lastSummary) return;
    const forum = await repos.support.getForum(deps.chatId);
    let threadId = forum?.summaryThreadId ?? null;
    if (forum?.summaryMessageId && threadId) {
      try {
        await deps.api.editMessageText(deps.chatId, forum.summaryMessageId, text, { parse_mode: 'HTML' });
        lastSummary = text;
        return;
      } catch (err) {
        if (notModified(err)) return void (lastSummary = text);
        if (!gone(err)) throw err;
      }
    }
    const send = async (thread: number) => deps.api.sendMessage(deps.chatId, text, { message_thread_id: thread, parse_mode: 'HTML' });
    let sent: { message_id: number } | undefined;
    if (threadId !== null) {
      try {
        sent = await send(threadId);
      } catch (err) {
        // The summary topic was deleted by hand: a new one.
        if (!gone(err)) throw err;
      }
    }
    if (!sent) {
      threadId = (await deps.api.createForumTopic(deps.chatId, t('support.sla.topic'))).message_thread_id;
      sent = await send(threadId);
    }
    await repos.support.saveForum(deps.chatId, threadId, sent.message_id);
    await deps.api.pinChatMessage(deps.chatId, sent.message_id, { disable_notification: true }).catch(() => undefined);
    lastSummary = text;
  }

  return {
    /** Flags what became overdue and brings the summary up to date; returns how many were flagged. */
    async tick(): Promise<{ flagged: number }> {
      const slaMinutes = await repos.settings.getKnown('support.slaMinutes');
      const flagged = await flag(slaMinutes);
      await publish(await summaryText(slaMinutes));
      return { flagged };
    },
    /** Runs `tick` every `everyMs` until stopped; a failed tick is logged and the next one tries again. */
    start(everyMs = 60_000): () => void {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        this.tick()
          .catch((err: unknown) => deps.logger.warn({ err }, 'SLA watch tick failed'))
          .finally(() => (running = false));
      }, everyMs);
      return () => clearInterval(timer);
    },
  };
}

export type SlaWatch = ReturnType<typeof createSlaWatch>;
