import { loadCustomerOverview } from '@vpn/backoffice';
import type { Database } from '@vpn/db';
import type { I18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { GrammyError, type Api } from 'grammy';
import { cardKeyboard, renderCard } from './render.js';
import { createTopicStateSync } from './topic-state.js';

export interface CardRefresherDeps {
  /** The support bot's API: the card is its message, so its buttons reach it. */
  api: Api;
  db: Pick<Database, 'repos'>;
  i18n: I18n;
  chatId: number;
  logger: Logger;
  /** Changes to one customer within this window make one edit (default 2 s). */
  debounceMs?: number;
  /**
   * Least time between two card writes in the forum (default 3.2 s): a group takes about 20
   * edits a minute, and the cards must leave room for staff and the relay.
   */
  minIntervalMs?: number;
  now?: () => Date;
}

export interface CardRefresher {
  /** Asks for the customer's card to be brought up to date (debounced; a customer without a topic is skipped). */
  request(userId: number): void;
  /** Brings it up to date now, after the writes already waiting; resolves when done. */
  refresh(userId: number): Promise<void>;
  /** Cards still to write (tests, shutdown). */
  readonly pending: number;
  /** Drops what is waiting; resolves after the write in progress. */
  close(): Promise<void>;
}

const notModified = (err: unknown) => err instanceof GrammyError && /message is not modified/i.test(err.description);
const gone = (err: unknown) =>
  err instanceof GrammyError && /message to edit not found|message thread not found|MESSAGE_ID_INVALID/i.test(err.description);

/**
 * Keeps each topic's pinned customer card current. Changes arrive from anywhere (the change feed,
 * an action, a ticket command); each customer's are collected for `debounceMs`, then the card is
 * written: edited in place, or sent into the topic and pinned the first time (and again when it
 * was deleted by hand). Writes go one at a time at the group's edit pace. A failure is logged and
 * left for the next change (the card says when it was last updated).
 */
export function createCardRefresher(deps: CardRefresherDeps): CardRefresher {
  const debounceMs = deps.debounceMs ?? 2_000;
  const minIntervalMs = deps.minIntervalMs ?? 3_200;
  const now = deps.now ?? (() => new Date());
  const language = deps.i18n.languages[0]!;
  const t = deps.i18n.forLanguage(language);
  const timers = new Map<number, NodeJS.Timeout>();
  const queued = new Set<number>();
  let chain: Promise<void> = Promise.resolve();
  let lastWrite = 0;
  let closed = false;
  const syncTopic = createTopicStateSync(deps.api, deps.chatId);

  async function write(userId: number): Promise<void> {
    const topic = await deps.db.repos.supportRelays.getTopic(userId);
    if (!topic || topic.chatId !== deps.chatId) return;
    const overview = await loadCustomerOverview(deps.db, userId);
    if (!overview) return;
    // The ticket's state in the topic's name and icon, then the card.
    await syncTopic(overview.user, topic.threadId, overview.ticket).catch((err: unknown) => {
      if (!gone(err)) throw err;
    });
    const text = renderCard(t, language, overview, now());
    const options = { parse_mode: 'HTML' as const, reply_markup: cardKeyboard(t, userId), link_preview_options: { is_disabled: true } };
    if (topic.cardMessageId !== null) {
      try {
        await deps.api.editMessageText(deps.chatId, topic.cardMessageId, text, options);
        return;
      } catch (err) {
        if (notModified(err)) return;
        if (!gone(err)) throw err;
      }
    }
    let sent;
    try {
      sent = await deps.api.sendMessage(deps.chatId, text, { ...options, message_thread_id: topic.threadId });
    } catch (err) {
      // The topic was deleted by hand: the customer's next message makes a new one, and its card.
      if (gone(err)) return;
      throw err;
    }
    await deps.db.repos.supportRelays.setCardMessage(userId, topic.threadId, sent.message_id);
    // The service line "pinned a message" cannot be removed by the bot that pinned: bots get no
    // update for their own service messages. One per topic: the card is edited in place after.
    await deps.api.pinChatMessage(deps.chatId, sent.message_id, { disable_notification: true });
  }

  function schedule(userId: number): Promise<void> {
    queued.add(userId);
    chain = chain.then(async () => {
      if (closed || !queued.delete(userId)) return;
      const wait = lastWrite + minIntervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        await write(userId);
      } catch (err) {
        deps.logger.warn({ err, userId }, 'customer card not updated');
      } finally {
        lastWrite = Date.now();
      }
    });
    return chain;
  }

  return {
    request(userId) {
      if (closed || timers.has(userId)) return;
      timers.set(
        userId,
        setTimeout(() => {
          timers.delete(userId);
          void schedule(userId);
        }, debounceMs),
      );
    },
    refresh(userId) {
      const timer = timers.get(userId);
      if (timer) clearTimeout(timer);
      timers.delete(userId);
      return schedule(userId);
    },
    get pending() {
      return timers.size + queued.size;
    },
    async close() {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      queued.clear();
      await chain;
    },
  };
}
