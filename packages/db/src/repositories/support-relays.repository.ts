import { queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';

export type RelayDirection = 'in' | 'out';
export type RelayState = 'pending' | 'sending' | 'sent' | 'dropped';

/** One message to copy: `in` customer chat → topic, `out` topic → customer chat. */
export interface SupportRelay {
  id: number;
  userId: number;
  direction: RelayDirection;
  fromChatId: number;
  messageId: number;
  mediaGroupId: string | null;
  /** The message (in the source chat) this one replies to; its copy is looked up in the links. */
  replyToMessageId: number | null;
  /** Text for staff posted before the copy (the doctor's diagnosis). */
  note: string | null;
  staffTelegramId: number | null;
  state: RelayState;
  claimedUntil: Date | null;
  attempts: number;
  copyIds: number[] | null;
  dropReason: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface SupportTopic {
  userId: number;
  chatId: number;
  threadId: number;
  previousThreadId: number | null;
  bannedAt: Date | null;
  banNoticeAt: Date | null;
  blockedNoticeAt: Date | null;
  /** The customer card the support bot pinned in this topic (edited in place), if posted. */
  cardMessageId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export type RelayInput = Pick<SupportRelay, 'userId' | 'direction' | 'fromChatId' | 'messageId'> &
  Partial<Pick<SupportRelay, 'mediaGroupId' | 'replyToMessageId' | 'note' | 'staffTelegramId'>>;

/** A claim's outcome: ours to send, held by another live attempt, or already finished. */
export type RelayClaim = 'claimed' | 'busy' | 'done';

const num = (v: unknown): number => Number(v);
function relayRow(r: SupportRelay): SupportRelay {
  return {
    ...r,
    id: num(r.id),
    userId: num(r.userId),
    fromChatId: num(r.fromChatId),
    messageId: num(r.messageId),
    replyToMessageId: r.replyToMessageId === null ? null : num(r.replyToMessageId),
    staffTelegramId: r.staffTelegramId === null ? null : num(r.staffTelegramId),
    copyIds: r.copyIds === null ? null : r.copyIds.map(num),
  };
}
function topicRow(r: SupportTopic | null): SupportTopic | null {
  if (!r) return null;
  return {
    ...r,
    userId: num(r.userId),
    chatId: num(r.chatId),
    threadId: num(r.threadId),
    previousThreadId: r.previousThreadId === null ? null : num(r.previousThreadId),
    cardMessageId: r.cardMessageId === null || r.cardMessageId === undefined ? null : num(r.cardMessageId),
  };
}

/**
 * The support relay's exactly-once bookkeeping and each customer's forum topic. A relay row is
 * written before its job is queued (so the order of rows is the order of messages), claimed with
 * a lease before the copy, and marked sent with the copies' ids after Telegram answered.
 */
export function createSupportRelaysRepository({ sequelize }: RepoDeps) {
  return {
    /** Records a message to relay; the same message twice keeps the first row. */
    async record(input: RelayInput, opts: TxOptions = {}): Promise<SupportRelay> {
      const inserted = await queryOne<SupportRelay>(
        sequelize,
        `INSERT INTO support_relays (user_id, direction, from_chat_id, message_id, media_group_id, reply_to_message_id, note, staff_telegram_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (direction, from_chat_id, message_id) DO NOTHING RETURNING *`,
        [
          input.userId,
          input.direction,
          input.fromChatId,
          input.messageId,
          input.mediaGroupId ?? null,
          input.replyToMessageId ?? null,
          input.note ?? null,
          input.staffTelegramId ?? null,
        ],
        opts,
      );
      const row =
        inserted ??
        (await queryOne<SupportRelay>(
          sequelize,
          `SELECT * FROM support_relays WHERE direction = $1 AND from_chat_id = $2 AND message_id = $3`,
          [input.direction, input.fromChatId, input.messageId],
          opts,
        ));
      if (!row) throw new Error('support relay row vanished');
      return relayRow(row);
    },
    /**
     * The copy of a relayed message (an album's rows share the copies' ids in message order):
     * its state and the copy's id, null while not sent; null when the message was never recorded.
     */
    async copyOf(
      direction: RelayDirection,
      fromChatId: number,
      messageId: number,
      opts: TxOptions = {},
    ): Promise<{ state: RelayState; copyId: number | null } | null> {
      const row = await queryOne<{ state: RelayState; copyId: string | null }>(
        sequelize,
        `SELECT r.state, r.copy_ids[1 + (SELECT count(*) FROM support_relays s WHERE s.direction = r.direction
           AND s.from_chat_id = r.from_chat_id AND s.copy_ids = r.copy_ids AND s.message_id < r.message_id)] AS copy_id
         FROM support_relays r WHERE r.direction = $1 AND r.from_chat_id = $2 AND r.message_id = $3`,
        [direction, fromChatId, messageId],
        opts,
      );
      return row ? { state: row.state, copyId: row.state === 'sent' && row.copyId !== null ? Number(row.copyId) : null } : null;
    },
    /** What is still to relay for a customer in one direction, oldest message first. */
    async unfinished(userId: number, direction: RelayDirection, opts: TxOptions = {}): Promise<SupportRelay[]> {
      const rows = await queryRows<SupportRelay>(
        sequelize,
        `SELECT * FROM support_relays WHERE user_id = $1 AND direction = $2 AND state IN ('pending', 'sending') ORDER BY message_id`,
        [userId, direction],
        opts,
      );
      return rows.map(relayRow);
    },
    /**
     * Claims rows for one copy (an album is claimed whole): pending ones, or ones whose claim
     * lapsed (their sender died between claim and answer). All or none.
     */
    async claim(ids: number[], leaseMs: number, opts: TxOptions = {}): Promise<RelayClaim> {
      const rows = await queryRows<{ id: number }>(
        sequelize,
        `UPDATE support_relays SET state = 'sending', claimed_until = now() + ($2::int * interval '1 millisecond'), attempts = attempts + 1
         WHERE id = ANY($1::bigint[]) AND (state = 'pending' OR (state = 'sending' AND claimed_until < now()))
         AND (SELECT count(*) FROM support_relays s WHERE s.id = ANY($1::bigint[]) AND (s.state = 'pending' OR (s.state = 'sending' AND s.claimed_until < now()))) = cardinality($1::bigint[])
         RETURNING id`,
        [ids, leaseMs],
        opts,
      );
      if (rows.length === ids.length) return 'claimed';
      const done = await queryOne<{ n: string }>(
        sequelize,
        `SELECT count(*) AS n FROM support_relays WHERE id = ANY($1::bigint[]) AND state IN ('sent', 'dropped')`,
        [ids],
        opts,
      );
      return Number(done?.n) === ids.length ? 'done' : 'busy';
    },
    async markSent(ids: number[], copyIds: number[], opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        `UPDATE support_relays SET state = 'sent', sent_at = now(), claimed_until = NULL,
         copy_ids = $2::bigint[] WHERE id = ANY($1::bigint[]) RETURNING id`,
        [ids, copyIds],
        opts,
      );
    },
    /** Gives a claim back after a failure that may pass (network, 429): the next attempt sends. */
    async release(ids: number[], opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        `UPDATE support_relays SET state = 'pending', claimed_until = NULL WHERE id = ANY($1::bigint[]) AND state = 'sending' RETURNING id`,
        [ids],
        opts,
      );
    },
    /** Never to be sent (the customer blocked the bot, a ban, Telegram refused the content). */
    async drop(ids: number[], reason: string, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        `UPDATE support_relays SET state = 'dropped', drop_reason = $2, claimed_until = NULL WHERE id = ANY($1::bigint[]) AND state IN ('pending', 'sending') RETURNING id`,
        [ids, reason],
        opts,
      );
    },
    async getTopic(userId: number, opts: TxOptions = {}): Promise<SupportTopic | null> {
      return topicRow(await queryOne<SupportTopic>(sequelize, `SELECT * FROM support_topics WHERE user_id = $1`, [userId], opts));
    },
    async findTopicByThread(chatId: number, threadId: number, opts: TxOptions = {}): Promise<SupportTopic | null> {
      return topicRow(
        await queryOne<SupportTopic>(
          sequelize,
          `SELECT * FROM support_topics WHERE chat_id = $1 AND thread_id = $2`,
          [chatId, threadId],
          opts,
        ),
      );
    },
    /**
     * Maps a customer to a (new) topic. A replaced topic (deleted or archived by hand) is kept as
     * `previous_thread_id`, so the new topic can link the old one.
     */
    async saveTopic(userId: number, chatId: number, threadId: number, opts: TxOptions = {}): Promise<SupportTopic> {
      const row = await queryOne<SupportTopic>(
        sequelize,
        `INSERT INTO support_topics (user_id, chat_id, thread_id) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET previous_thread_id = support_topics.thread_id, chat_id = EXCLUDED.chat_id,
           thread_id = EXCLUDED.thread_id, blocked_notice_at = NULL, card_message_id = NULL, updated_at = now()
         RETURNING *`,
        [userId, chatId, threadId],
        opts,
      );
      return topicRow(row)!;
    },
    /** Records the card pinned in the customer's topic; ignored when the topic was replaced meanwhile. */
    async setCardMessage(userId: number, threadId: number, messageId: number | null, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        `UPDATE support_topics SET card_message_id = $3 WHERE user_id = $1 AND thread_id = $2 RETURNING user_id`,
        [userId, threadId, messageId],
        opts,
      );
    },
    /**
     * Forgets every topic mapping (customers get a new topic on their next message). Only for the
     * sandbox, whose emulated forum starts empty on every run and would hand out the same ids again.
     */
    async forgetTopics(opts: TxOptions = {}): Promise<void> {
      await queryRows(sequelize, `DELETE FROM support_topics RETURNING user_id`, [], opts);
    },
    /** Records a once-only notice; true only for the first caller (the one who must send it). */
    async noticeOnce(userId: number, notice: 'ban' | 'blocked', opts: TxOptions = {}): Promise<boolean> {
      const column = notice === 'ban' ? 'ban_notice_at' : 'blocked_notice_at';
      const row = await queryOne(
        sequelize,
        `UPDATE support_topics SET ${column} = now() WHERE user_id = $1 AND ${column} IS NULL RETURNING user_id`,
        [userId],
        opts,
      );
      return row !== null;
    },
    /** Bans or unbans a customer from support (their subscription is untouched). */
    async setBanned(userId: number, banned: boolean, opts: TxOptions = {}): Promise<boolean> {
      const row = await queryOne(
        sequelize,
        `UPDATE support_topics SET banned_at = CASE WHEN $2 THEN coalesce(banned_at, now()) END, ban_notice_at = NULL, updated_at = now()
         WHERE user_id = $1 RETURNING user_id`,
        [userId, banned],
        opts,
      );
      return row !== null;
    },
  };
}

export type SupportRelaysRepository = ReturnType<typeof createSupportRelaysRepository>;
