import { type Sequelize } from 'sequelize';
import { col, defineModel, type Creation } from './define.js';

export type BroadcastStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'done' | 'cancelled';
export const BROADCAST_STATUSES: readonly BroadcastStatus[] = ['draft', 'scheduled', 'running', 'paused', 'done', 'cancelled'];
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'blocked';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sent', 'failed', 'blocked'];

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
    createdAt: col.stamp,
    updatedAt: col.stamp,
  });
  const BroadcastDelivery = defineModel<BroadcastDelivery, Creation<BroadcastDelivery, 'status' | 'error' | 'messageId' | 'sentAt'>>(
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
      createdAt: col.stamp,
    },
    { updatedAt: false },
  );
  return { Broadcast, BroadcastDelivery };
}
