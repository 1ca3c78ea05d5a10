import { queryRows, type RepoDeps, type TxOptions } from './base.js';

/** `ts` (a timestamptz SQL expression) as JavaScript's `toISOString()` writes it: UTC, milliseconds (truncated, as both do). */
export function isoSql(ts: string): string {
  return `to_char(${ts} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The sent_notifications reference of an expiry reminder (`<id>:<ends_at ISO>:<days>d`) and of an
 * "ended" notice (`<id>:<ends_at ISO>`), as SQL over a subscription row `s` (and `days`): the
 * selection's anti-join and the job it queues use the same string, so what it skips is what was sent.
 */
export const REMINDER_REFERENCE_SQL = (days: string) => `s.id || ':' || ${isoSql('s.ends_at')} || ':' || ${days} || 'd'`;
export const ENDED_REFERENCE_SQL = `s.id || ':' || ${isoSql('s.ends_at')}`;

/** Where a page of the reminders sweep stopped: the last row's `(ends_at, id)`. */
export interface ReminderCursor {
  endsAt: Date;
  id: number;
}

/** A notification the reminders sweep owes: the subscription, and the reference it is sent under. */
export interface DueReminder {
  subscriptionId: number;
  userId: number;
  endsAt: Date;
  /** Whole days left, rounded up (3, 2, 1); absent for an "ended" notice. */
  days?: number;
  reference: string;
}

export interface DueReminderPage {
  rows: DueReminder[];
  /** Where the next page starts; null when this was the last. */
  next: ReminderCursor | null;
}

/**
 * The reminders sweep's reads: subscriptions in an end window whose notification for their
 * current threshold is neither sent nor claimed (an anti-join with sent_notifications on its
 * unique key), customers who blocked the bot left out. A second run with nothing new due reads
 * the window's keys and returns nothing.
 */
export function createRemindersRepository({ sequelize }: RepoDeps) {
  /**
   * One page in `(ends_at, id)` order: up to `limit` subscriptions in `status` with `ends_at` in
   * [from, to) after `after`, of which those whose notification (`kind`, `reference`) is due, and
   * the cursor of the last row read. The keyset is the pair, never `ends_at` alone: an import
   * with date-only ends gives thousands of subscriptions one `ends_at`, and a page boundary inside
   * such a run must not skip the rest of it. A page reads `limit` rows whether much or little of
   * it is due, so its cost is bounded, and the cursor moves on through pages where nothing is.
   */
  const scan = async (
    p: { status: string; from: Date; to: Date; after?: ReminderCursor; limit: number; kind: string; reference: string; days: string },
    opts: TxOptions,
  ) => {
    const rows = await queryRows<DueReminder & { due: boolean }>(
      sequelize,
      `WITH page AS (
         SELECT s.id, s.user_id, s.ends_at, ${p.days} AS days
         FROM subscriptions s
         WHERE s.status = $1::subscription_status AND s.ends_at >= $2 AND s.ends_at < $3 AND s.ends_at >= $4::timestamptz
           AND (s.ends_at, s.id) > ($4::timestamptz, $5::bigint)
         ORDER BY s.ends_at, s.id LIMIT $6
       )
       SELECT s.id AS subscription_id, s.user_id, s.ends_at, s.days, ${p.reference} AS reference,
         NOT EXISTS (SELECT 1 FROM sent_notifications n WHERE n.user_id = s.user_id AND n.kind = $7 AND n.reference = ${p.reference})
           AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id AND u.bot_blocked_at IS NOT NULL) AS due
       FROM page s
       ORDER BY s.ends_at, s.id`,
      [p.status, p.from, p.to, p.after?.endsAt ?? p.from, p.after?.id ?? 0, p.limit, p.kind],
      opts,
    );
    const tail = rows.at(-1);
    return {
      rows: rows.filter((r) => r.due).map(({ due: _due, ...r }) => r),
      next: rows.length < p.limit || !tail ? null : { endsAt: tail.endsAt, id: tail.subscriptionId },
    } satisfies DueReminderPage;
  };

  return {
    /**
     * Active subscriptions ending in [now, to) whose reminder for the day they are in
     * (`ceil(days left)`) is due. Each page scans `limit` subscriptions.
     */
    async listDueReminders(window: { now: Date; to: Date; after?: ReminderCursor; limit: number }, opts: TxOptions = {}) {
      const days = `ceil(extract(epoch FROM s.ends_at - $2::timestamptz) / 86400)::int`;
      return scan(
        {
          status: 'active',
          from: window.now,
          to: window.to,
          ...(window.after ? { after: window.after } : {}),
          limit: window.limit,
          kind: 'expiry_reminder',
          reference: REMINDER_REFERENCE_SQL('s.days'),
          days,
        },
        opts,
      );
    },
    /** Subscriptions in `status` that ended in [since, now) whose "ended" notice is due. */
    async listDueEndedNotices(
      window: { status: 'active' | 'expired'; since: Date; now: Date; after?: ReminderCursor; limit: number },
      opts: TxOptions = {},
    ) {
      const page = await scan(
        {
          status: window.status,
          from: window.since,
          to: window.now,
          ...(window.after ? { after: window.after } : {}),
          limit: window.limit,
          kind: 'subscription_expired',
          reference: ENDED_REFERENCE_SQL,
          days: 'NULL::int',
        },
        opts,
      );
      return {
        rows: page.rows.map(({ days: _days, ...r }) => r),
        next: page.next,
      } satisfies DueReminderPage;
    },
  };
}

export type RemindersRepository = ReturnType<typeof createRemindersRepository>;
