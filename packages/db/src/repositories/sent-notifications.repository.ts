import { queryRows, type RepoDeps, type TxOptions } from './base.js';

export interface NotificationKey {
  userId: number;
  /** e.g. `expiry_reminder`, `expired`, `payment_succeeded`. */
  kind: string;
  /** What it is about, e.g. `<subscription id>:<ends_at iso>:3d`; '' when the kind alone is enough. */
  reference?: string;
}

/**
 * What `claim` found: `claimed` (you send it, then `markSent`), `done` (sent or dropped already),
 * `busy` (another attempt claimed it less than a lease ago: try again later).
 */
export type NotificationClaim = 'claimed' | 'done' | 'busy';

const bindKey = (key: NotificationKey) => [key.userId, key.kind, key.reference ?? ''];
const WHERE_KEY = 'user_id = $1 AND kind = $2 AND reference = $3';

/**
 * The once-only log of notifications. A sender claims a notification (`sending`), sends it, and
 * marks it `sent` once Telegram answered, so a sender killed between claim and send does not lose
 * it: its claim lapses after the lease and the next attempt sends it (a rare duplicate rather than
 * silence). `release` gives a claim back after a failure that may pass.
 */
export function createSentNotificationsRepository({ sequelize }: RepoDeps) {
  const update = async (key: NotificationKey, set: string, opts: TxOptions) =>
    (await queryRows(sequelize, `UPDATE sent_notifications SET ${set} WHERE ${WHERE_KEY} RETURNING id`, bindKey(key), opts)).length > 0;

  return {
    /**
     * Claims `key` for sending: a new row, or a `sending` row whose claim is older than
     * `leaseMs` (its sender died). One statement, so concurrent claimers get one `claimed`.
     */
    async claim(key: NotificationKey, options: { leaseMs: number }, opts: TxOptions = {}): Promise<NotificationClaim> {
      const claimed = await queryRows(
        sequelize,
        `INSERT INTO sent_notifications (user_id, kind, reference, state, claimed_at) VALUES ($1, $2, $3, 'sending', now())
         ON CONFLICT (user_id, kind, reference) DO UPDATE SET claimed_at = now()
           WHERE sent_notifications.state = 'sending' AND sent_notifications.claimed_at < now() - $4 * interval '1 millisecond'
         RETURNING id`,
        [...bindKey(key), options.leaseMs],
        opts,
      );
      if (claimed.length === 1) return 'claimed';
      const rows = await queryRows<{ state: string }>(
        sequelize,
        `SELECT state FROM sent_notifications WHERE ${WHERE_KEY}`,
        bindKey(key),
        opts,
      );
      return rows[0]?.state === 'sending' ? 'busy' : 'done';
    },
    /** Telegram took it. */
    markSent: (key: NotificationKey, opts: TxOptions = {}) => update(key, "state = 'sent', sent_at = now()", opts),
    /** Telegram will never take it (blocked, refused): never tried again. */
    markDropped: (key: NotificationKey, opts: TxOptions = {}) => update(key, "state = 'dropped'", opts),
    /** Records `key` as sent at once; false when it was already there (claimed, sent or dropped). */
    async insertOnce(key: NotificationKey, opts: TxOptions = {}): Promise<boolean> {
      const rows = await queryRows(
        sequelize,
        `INSERT INTO sent_notifications (user_id, kind, reference, state, sent_at) VALUES ($1, $2, $3, 'sent', now())
         ON CONFLICT (user_id, kind, reference) DO NOTHING RETURNING id`,
        bindKey(key),
        opts,
      );
      return rows.length === 1;
    },
    async has(key: NotificationKey, opts: TxOptions = {}): Promise<boolean> {
      const rows = await queryRows(sequelize, `SELECT 1 FROM sent_notifications WHERE ${WHERE_KEY}`, bindKey(key), opts);
      return rows.length > 0;
    },
    /** Gives the row back (a send that failed for a reason that may pass), so the next attempt claims it. */
    async release(key: NotificationKey, opts: TxOptions = {}): Promise<boolean> {
      const rows = await queryRows(sequelize, `DELETE FROM sent_notifications WHERE ${WHERE_KEY} RETURNING id`, bindKey(key), opts);
      return rows.length > 0;
    },
  };
}

export type SentNotificationsRepository = ReturnType<typeof createSentNotificationsRepository>;
