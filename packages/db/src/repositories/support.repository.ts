import { Op } from 'sequelize';
import type { SupportMessageLink, SupportTicket, TicketStatus } from '../models/index.js';
import { plain, plainAll, queryOne, queryRows, required, type RepoDeps, type TxOptions } from './base.js';

/** Raw rows carry BIGINT columns as strings. */
function ticketRow<T extends SupportTicket | null>(r: T): T {
  if (!r) return r;
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { ...r, id: Number(r.id), userId: Number(r.userId), topicId: n(r.topicId), assignedAdminId: n(r.assignedAdminId) };
}

export type MessageLinkInput = Omit<SupportMessageLink, 'id' | 'createdAt'>;

/** Support tickets (one open per user) and the client ↔ topic message map. */
export function createSupportRepository({ sequelize, models }: RepoDeps) {
  const { SupportTicket: Tickets, SupportMessageLink: Links } = models;
  const updateTicket = async (id: number, values: Partial<SupportTicket>, opts: TxOptions) => {
    const [, rows] = await Tickets.update(values, {
      where: { id },
      returning: true,
      transaction: opts.transaction,
    });
    return plain(rows[0] ?? null);
  };

  return {
    async getTicket(id: number, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return plain(await Tickets.findByPk(id, { transaction: opts.transaction }));
    },
    /** The user's open (not closed) ticket, or null. */
    async getOpenTicket(userId: number, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return plain(
        await Tickets.findOne({
          where: { userId, status: { [Op.ne]: 'closed' } },
          transaction: opts.transaction,
        }),
      );
    },
    /** The open ticket in a forum topic (a staff reply in that topic goes to its customer). */
    async findOpenByTopic(topicId: number, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return plain(
        await Tickets.findOne({
          where: { topicId, status: { [Op.ne]: 'closed' } },
          order: [['id', 'DESC']],
          transaction: opts.transaction,
        }),
      );
    },
    /** Returns the open ticket or opens one; atomic (a partial unique index allows one open per user). */
    async openOrGet(
      input: {
        userId: number;
        topicId?: number | null;
        subject?: string | null;
        diagnosis?: Record<string, unknown> | null;
      },
      opts: TxOptions = {},
    ): Promise<{ ticket: SupportTicket; created: boolean }> {
      const row = await queryOne<SupportTicket>(
        sequelize,
        `INSERT INTO support_tickets (user_id, topic_id, subject, diagnosis, last_message_at, awaiting_since) VALUES ($1, $2, $3, $4::jsonb, now(), now())
         ON CONFLICT (user_id) WHERE status <> 'closed' DO NOTHING RETURNING *`,
        [input.userId, input.topicId ?? null, input.subject ?? null, input.diagnosis ? JSON.stringify(input.diagnosis) : null],
        opts,
      );
      if (row) return { ticket: row, created: true };
      const open = plain(
        await Tickets.findOne({
          where: { userId: input.userId, status: { [Op.ne]: 'closed' } },
          transaction: opts.transaction,
        }),
      );
      return { ticket: required(open, 'open ticket of user', input.userId), created: false };
    },
    async setStatus(id: number, status: TicketStatus, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return updateTicket(id, { status, closedAt: status === 'closed' ? new Date() : null }, opts);
    },
    async setTopic(id: number, topicId: number, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return updateTicket(id, { topicId }, opts);
    },
    async assign(id: number, adminId: number | null, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return updateTicket(id, { assignedAdminId: adminId }, opts);
    },
    async setDiagnosis(id: number, diagnosis: Record<string, unknown>, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return updateTicket(id, { diagnosis }, opts);
    },
    /**
     * A message arrived. The customer's (`open`): the ticket waits for staff from its oldest
     * unanswered message (`awaiting_since`), `open` until staff first answered, `pending` ("in
     * progress") after. Staff's (`answered`): waiting for the customer, the wait and its SLA flag
     * cleared, the first response time kept.
     */
    async touch(id: number, status?: Exclude<TicketStatus, 'closed'>, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return ticketRow(
        await queryOne<SupportTicket>(
          sequelize,
          `UPDATE support_tickets SET last_message_at = now(), updated_at = now(),
           status = CASE WHEN $2::text IS NULL THEN status
                         WHEN $2 = 'open' THEN (CASE WHEN first_response_at IS NULL THEN 'open' ELSE 'pending' END)::ticket_status
                         ELSE $2::ticket_status END,
           awaiting_since = CASE WHEN $2 = 'open' THEN coalesce(awaiting_since, now()) WHEN $2 = 'answered' THEN NULL ELSE awaiting_since END,
           sla_flagged_at = CASE WHEN $2 = 'answered' THEN NULL ELSE sla_flagged_at END,
           first_response_at = CASE WHEN $2 = 'answered' THEN coalesce(first_response_at, now()) ELSE first_response_at END
         WHERE id = $1 RETURNING *`,
          [id, status ?? null],
          opts,
        ),
      );
    },
    /**
     * Claims the tickets whose customer has waited since before `before` and were not flagged for
     * this wait: each is returned once (the caller posts the flag), whichever process asks.
     */
    async flagOverdue(before: Date, limit = 50, opts: TxOptions = {}): Promise<SupportTicket[]> {
      const rows = await queryRows<SupportTicket>(
        sequelize,
        `UPDATE support_tickets SET sla_flagged_at = now() WHERE id IN (
           SELECT id FROM support_tickets WHERE status <> 'closed' AND awaiting_since < $1 AND sla_flagged_at IS NULL
           ORDER BY awaiting_since LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [before, limit],
        opts,
      );
      return rows.map(ticketRow);
    },
    /** Open tickets waiting for staff, the longest wait first, with the customer's name (the SLA summary). */
    async listAwaiting(
      limit = 30,
      opts: TxOptions = {},
    ): Promise<(SupportTicket & { firstName: string | null; username: string | null })[]> {
      const rows = await queryRows<SupportTicket & { firstName: string | null; username: string | null }>(
        sequelize,
        `SELECT t.*, u.first_name, u.username FROM support_tickets t JOIN users u ON u.id = t.user_id
         WHERE t.status <> 'closed' AND t.awaiting_since IS NOT NULL ORDER BY t.awaiting_since, t.id LIMIT $1`,
        [limit],
        opts,
      );
      return rows.map(ticketRow);
    },
    /** The customer's 1–5 for a ticket they ended; once (a second answer changes nothing). */
    async rate(id: number, userId: number, rating: number, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return ticketRow(
        await queryOne<SupportTicket>(
          sequelize,
          `UPDATE support_tickets SET rating = $3, rated_at = now() WHERE id = $1 AND user_id = $2 AND status = 'closed' AND rating IS NULL RETURNING *`,
          [id, userId, rating],
          opts,
        ),
      );
    },
    /** The staff forum's SLA summary (its topic and its one message), if made. */
    async getForum(
      chatId: number,
      opts: TxOptions = {},
    ): Promise<{ summaryThreadId: number | null; summaryMessageId: number | null } | null> {
      const row = await queryOne<{ summaryThreadId: string | null; summaryMessageId: string | null }>(
        sequelize,
        `SELECT summary_thread_id, summary_message_id FROM support_forums WHERE chat_id = $1`,
        [chatId],
        opts,
      );
      const num = (v: string | null) => (v === null ? null : Number(v));
      return row ? { summaryThreadId: num(row.summaryThreadId), summaryMessageId: num(row.summaryMessageId) } : null;
    },
    async saveForum(chatId: number, summaryThreadId: number | null, summaryMessageId: number | null, opts: TxOptions = {}): Promise<void> {
      await queryRows(
        sequelize,
        `INSERT INTO support_forums (chat_id, summary_thread_id, summary_message_id) VALUES ($1, $2, $3)
         ON CONFLICT (chat_id) DO UPDATE SET summary_thread_id = EXCLUDED.summary_thread_id,
           summary_message_id = EXCLUDED.summary_message_id, updated_at = now() RETURNING chat_id`,
        [chatId, summaryThreadId, summaryMessageId],
        opts,
      );
    },
    async listByStatus(statuses: TicketStatus[], limit = 50, opts: TxOptions = {}): Promise<SupportTicket[]> {
      return plainAll(
        await Tickets.findAll({
          where: { status: statuses },
          order: [['lastMessageAt', 'DESC']],
          limit,
          transaction: opts.transaction,
        }),
      );
    },
    /** Records a relayed message; the same support message twice keeps the first link. */
    async addLink(input: MessageLinkInput, opts: TxOptions = {}): Promise<SupportMessageLink> {
      const row = await queryOne<SupportMessageLink>(
        sequelize,
        `INSERT INTO support_message_links (ticket_id, direction, client_chat_id, client_message_id, support_chat_id, support_message_id)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (support_chat_id, support_message_id) DO NOTHING RETURNING *`,
        [input.ticketId, input.direction, input.clientChatId, input.clientMessageId, input.supportChatId, input.supportMessageId],
        opts,
      );
      if (row) return row;
      const existing = await Links.findOne({
        where: { supportChatId: input.supportChatId, supportMessageId: input.supportMessageId },
        transaction: opts.transaction,
      });
      return required(plain(existing), 'support message link', input.supportMessageId);
    },
    async findLinkBySupportMessage(
      supportChatId: number,
      supportMessageId: number,
      opts: TxOptions = {},
    ): Promise<SupportMessageLink | null> {
      return plain(
        await Links.findOne({
          where: { supportChatId, supportMessageId },
          transaction: opts.transaction,
        }),
      );
    },
    async findLinkByClientMessage(clientChatId: number, clientMessageId: number, opts: TxOptions = {}): Promise<SupportMessageLink | null> {
      return plain(
        await Links.findOne({
          where: { clientChatId, clientMessageId },
          order: [['id', 'DESC']],
          transaction: opts.transaction,
        }),
      );
    },
  };
}

export type SupportRepository = ReturnType<typeof createSupportRepository>;
