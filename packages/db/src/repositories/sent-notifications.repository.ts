import { queryRows, type RepoDeps, type TxOptions } from './base.js';

export interface NotificationKey {
  userId: number;
  /** e.g. `expiry_reminder`, `expired`, `payment_succeeded`. */
  kind: string;
  /** What it is about, e.g. `<subscription id>:<ends_at iso>:3d`; '' when the kind alone is enough. */
  reference?: string;
}

/**
 * The once-only log. Claim before sending (`insertOnce` → true means "you send it"); if the send
 * fails for a retryable reason, `release` so the next sweep tries again.
 */
export function createSentNotificationsRepository({ sequelize }: RepoDeps) {
  return {
    async insertOnce(key: NotificationKey, opts: TxOptions = {}): Promise<boolean> {
      const rows = await queryRows(
        sequelize,
        `INSERT INTO sent_notifications (user_id, kind, reference) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, kind, reference) DO NOTHING RETURNING id`,
        [key.userId, key.kind, key.reference ?? ''],
        opts,
      );
      return rows.length === 1;
    },
    async has(key: NotificationKey, opts: TxOptions = {}): Promise<boolean> {
      const rows = await queryRows(
        sequelize,
        'SELECT 1 FROM sent_notifications WHERE user_id = $1 AND kind = $2 AND reference = $3',
        [key.userId, key.kind, key.reference ?? ''],
        opts,
      );
      return rows.length > 0;
    },
    async release(key: NotificationKey, opts: TxOptions = {}): Promise<boolean> {
      const rows = await queryRows(
        sequelize,
        'DELETE FROM sent_notifications WHERE user_id = $1 AND kind = $2 AND reference = $3 RETURNING id',
        [key.userId, key.kind, key.reference ?? ''],
        opts,
      );
      return rows.length > 0;
    },
  };
}

export type SentNotificationsRepository = ReturnType<typeof createSentNotificationsRepository>;
