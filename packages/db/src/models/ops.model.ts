import { DataTypes, type Sequelize } from 'sequelize';
import { col, defineModel, type Creation } from './define.js';

/**
 * A notification claimed for sending, sent, or given up on; unique per (user, kind, reference) so
 * each goes out once. `sending` older than the sender's lease may be claimed again.
 */
export interface SentNotification {
  id: number;
  userId: number;
  kind: string;
  reference: string;
  state: 'sending' | 'sent' | 'dropped';
  claimedAt: Date;
  /** When Telegram accepted it; null while sending or when dropped. */
  sentAt: Date | null;
}

export type OutboxStatus = 'pending' | 'dispatched' | 'done' | 'failed';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'dispatched', 'done', 'failed'];

/** A job request written in the same transaction as the change that needs it. */
export interface OutboxMessage {
  id: number;
  /** e.g. `provision`, `notify`; the dispatcher maps it to a Bull queue. */
  kind: string;
  payload: Record<string, unknown>;
  /** Unique; also the Bull job id, so a re-dispatch never duplicates the job. */
  dedupeKey: string;
  status: OutboxStatus;
  attempts: number;
  availableAt: Date;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who did what; append-only. */
export interface AuditEntry {
  id: number;
  /** `admin`, `user`, `system`. */
  actorKind: string;
  actorId: number | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export function defineOpsModels(sequelize: Sequelize) {
  const SentNotification = defineModel<SentNotification, Creation<SentNotification, 'reference' | 'sentAt' | 'state' | 'claimedAt'>>(
    sequelize,
    'SentNotification',
    'sent_notifications',
    {
      id: col.bigId,
      userId: col.reqBigint,
      kind: { type: DataTypes.STRING(64), allowNull: false },
      reference: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      state: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'sent' },
      claimedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      sentAt: { type: DataTypes.DATE, allowNull: true },
    },
    { timestamps: false },
  );
  const Outbox = defineModel<OutboxMessage, Creation<OutboxMessage, 'status' | 'attempts' | 'availableAt' | 'lastError' | 'payload'>>(
    sequelize,
    'OutboxMessage',
    'outbox',
    {
      id: col.bigId,
      kind: { type: DataTypes.STRING(64), allowNull: false },
      payload: { ...col.reqJson, defaultValue: {} },
      dedupeKey: col.reqText,
      status: col.enum(OUTBOX_STATUSES, 'pending'),
      attempts: col.intDefault(0),
      availableAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      lastError: col.text,
      createdAt: col.stamp,
      updatedAt: col.stamp,
    },
  );
  const AuditLog = defineModel<AuditEntry, Creation<AuditEntry, 'actorId' | 'entity' | 'entityId' | 'data'>>(
    sequelize,
    'AuditEntry',
    'audit_log',
    {
      id: col.bigId,
      actorKind: { type: DataTypes.STRING(16), allowNull: false },
      actorId: col.bigint,
      action: { type: DataTypes.STRING(64), allowNull: false },
      entity: { type: DataTypes.STRING(64), allowNull: true },
      entityId: col.text,
      data: { ...col.reqJson, defaultValue: {} },
      createdAt: col.stamp,
    },
    { updatedAt: false },
  );
  return { SentNotification, Outbox, AuditLog };
}
