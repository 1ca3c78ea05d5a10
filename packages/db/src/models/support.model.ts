import { DataTypes, type Sequelize } from 'sequelize';
import { col, defineModel, type Creation } from './define.js';

export type TicketStatus = 'open' | 'pending' | 'answered' | 'closed';
export const TICKET_STATUSES: readonly TicketStatus[] = ['open', 'pending', 'answered', 'closed'];
export type MessageDirection = 'in' | 'out';

/** A support conversation; at most one non-closed ticket per user. */
export interface SupportTicket {
  id: number;
  userId: number;
  status: TicketStatus;
  /** Forum topic (message_thread_id) in the support group. */
  topicId: number | null;
  subject: string | null;
  /** Snapshot of the customer's state when the ticket opened (plan, expiry, panel state). */
  diagnosis: Record<string, unknown> | null;
  lastMessageAt: Date | null;
  assignedAdminId: number | null;
  closedAt: Date | null;
  /** The oldest customer message not answered yet; null when staff answered last. */
  awaitingSince: Date | null;
  /** The first staff answer (first-response time = this − createdAt). */
  firstResponseAt: Date | null;
  /** The SLA flag was posted for the current wait. */
  slaFlaggedAt: Date | null;
  /** The customer's 1–5 after ending the conversation. */
  rating: number | null;
  ratedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Pairs a message in the client chat with its copy in the support topic (both directions). */
export interface SupportMessageLink {
  id: number;
  ticketId: number;
  /** `in`: customer → staff; `out`: staff → customer. */
  direction: MessageDirection;
  clientChatId: number;
  clientMessageId: number;
  supportChatId: number;
  supportMessageId: number;
  createdAt: Date;
}

export function defineSupportModels(sequelize: Sequelize) {
  type TicketOptional = Exclude<keyof SupportTicket, 'userId'>;
  const SupportTicket = defineModel<SupportTicket, Creation<SupportTicket, TicketOptional>>(sequelize, 'SupportTicket', 'support_tickets', {
    id: col.bigId,
    userId: col.reqBigint,
    status: col.enum(TICKET_STATUSES, 'open'),
    topicId: col.bigint,
    subject: col.text,
    diagnosis: col.json,
    lastMessageAt: col.date,
    assignedAdminId: col.int,
    closedAt: col.date,
    awaitingSince: col.date,
    firstResponseAt: col.date,
    slaFlaggedAt: col.date,
    rating: col.int,
    ratedAt: col.date,
    createdAt: col.stamp,
    updatedAt: col.stamp,
  });
  const SupportMessageLink = defineModel<SupportMessageLink, Creation<SupportMessageLink>>(
    sequelize,
    'SupportMessageLink',
    'support_message_links',
    {
      id: col.bigId,
      ticketId: col.reqBigint,
      direction: { type: DataTypes.ENUM('in', 'out'), allowNull: false },
      clientChatId: col.reqBigint,
      clientMessageId: col.reqBigint,
      supportChatId: col.reqBigint,
      supportMessageId: col.reqBigint,
      createdAt: col.stamp,
    },
    { updatedAt: false },
  );
  return { SupportTicket, SupportMessageLink };
}
