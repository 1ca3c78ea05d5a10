import { Op } from 'sequelize';
import type { SupportMessageLink, SupportTicket, TicketStatus } from '../models/index.js';
import { plain, plainAll, queryOne, required, type RepoDeps, type TxOptions } from './base.js';

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
        `INSERT INTO support_tickets (user_id, topic_id, subject, diagnosis, last_message_at) VALUES ($1, $2, $3, $4::jsonb, now())
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
    /** A message arrived: bump `last_message_at` and move the status (customer → `open`, staff → `answered`). */
    async touch(id: number, status?: Exclude<TicketStatus, 'closed'>, opts: TxOptions = {}): Promise<SupportTicket | null> {
      return updateTicket(id, { lastMessageAt: new Date(), ...(status ? { status } : {}) }, opts);
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
