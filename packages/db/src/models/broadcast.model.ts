import { type Sequelize } from 'sequelize';
import { col, defineModel, type Creation } from './define.js';

export type BroadcastStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'done' | 'cancelled';
export const BROADCAST_STATUSES: readonly BroadcastStatus[] = ['draft', 'scheduled', 'running', 'paused', 'done', 'cancelled'];
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'blocked';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sent', 'failed', 'blocked'];

/** One URL (or t.me deep-link) button under a broadcast. */
export interface BroadcastButton {
  text: string;
  url: string;
}

/** What one language's customers get: text (HTML), optional photo/video (`media`), up to 3 rows of buttons. */
export interface BroadcastVersion {
  text: string;
  media?: { kind: 'photo' | 'video'; fileId: string } | null;
  buttons?: BroadcastButton[][] | null;
}

/** A message to many users. `audience` is a filter the admin bot builds (e.g. `{ active: true }`). */
export interface Broadcast {
  id: number;
  /** Telegram id of the admin who wrote it. */
  createdBy: number | null;
  /** HTML text (Telegram parse mode), ≤ 4096 chars, or ≤ 1024 with media. */
  text: string;
  media: Record<string, unknown> | null;
  audience: Record<string, unknown>;
  status: BroadcastStatus;
  scheduledAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  totalCount: number;
  sentCount: number;
  failedCount: number;
  blockedCount: number;
  /** URL buttons of the ru version, up to 3 rows. */
  buttons: BroadcastButton[][] | null;
  /** Other languages' versions by language code; ru is `text`/`media`/`buttons` (the fallback). */
  versions: Record<string, BroadcastVersion>;
  /** Sent with allow_paid_broadcast (the operator's setting when it started). */
  allowPaid: boolean;
  /** Messages that went out on paid slots (0.1 Star each). */
  paidCount: number;
  /** The admin's live progress message. */
  progressChatId: number | null;
  progressMessageId: number | null;
  /** The language of that message (the admin's, when they started it); null: ru. */
  progressLanguage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One recipient of a broadcast; unique per (broadcast, user) so a resume never sends twice. */
export interface BroadcastDelivery {
  id: number;
  broadcastId: number;
  userId: number;
  status: DeliveryStatus;
  error: string | null;
  messageId: number | null;
  sentAt: Date | null;
  /** A sender's claim on the row lasts until then. */
  claimedUntil: Date | null;
  /** Written just before the send: a pending row with an attempt and a lapsed claim is in doubt. */
  attemptedAt: Date | null;
  /** Went out on a paid-broadcast slot. */
  paid: boolean;
  /** The sent copy was deleted ("delete the sent copies"). */
  deletedAt: Date | null;
  createdAt: Date;
}

export function defineBroadcastModels(sequelize: Sequelize) {
  const Broadcast = defineModel<Broadcast, Creation<Broadcast, Exclude<keyof Broadcast, 'text'>>>(sequelize, 'Broadcast', 'broadcasts', {
    id: col.bigId,
    createdBy: col.bigint,
    text: col.reqText,
    media: col.json,
    audience: { ...col.reqJson, defaultValue: {} },
    status: col.enum(BROADCAST_STATUSES, 'draft'),
    scheduledAt: col.date,
    startedAt: col.date,
    finishedAt: col.date,
    totalCount: col.intDefault(0),
    sentCount: col.intDefault(0),
    failedCount: col.intDefault(0),
    blockedCount: col.intDefault(0),
    buttons: col.json,
    versions: { ...col.reqJson, defaultValue: {} },
    allowPaid: col.bool(false),
    paidCount: col.intDefault(0),
    progressChatId: col.bigint,
    progressMessageId: col.bigint,
    progressLanguage: col.text,
    createdAt: col.stamp,
    updatedAt: col.stamp,
  });
  const BroadcastDelivery = defineModel<
    BroadcastDelivery,
    Creation<BroadcastDelivery, 'status' | 'error' | 'messageId' | 'sentAt' | 'claimedUntil' | 'attemptedAt' | 'paid' | 'deletedAt'>
  >(
    sequelize,
    'BroadcastDelivery',
    'broadcast_deliveries',
    {
      id: col.bigId,
      broadcastId: col.reqBigint,
      userId: col.reqBigint,
      status: col.enum(DELIVERY_STATUSES, 'pending'),
      error: col.text,
      messageId: col.bigint,
      sentAt: col.date,
      claimedUntil: col.date,
      attemptedAt: col.date,
      paid: col.bool(false),
      deletedAt: col.date,
      createdAt: col.stamp,
    },
    { updatedAt: false },
  );
  return { Broadcast, BroadcastDelivery };
}
