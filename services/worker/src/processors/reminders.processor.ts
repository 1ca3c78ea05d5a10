import type { Database, DueReminder, DueReminderPage, ReminderCursor } from '@vpn/db';
import type { InputOf, PayloadOf, Processor, Producers, remindersQueue, sweepNotificationsQueue } from '@vpn/queues';

const DAY_MS = 86_400_000;
/** Subscriptions read per page (and at most one `addBulk` of notifications per page). */
const PAGE = 1_000;
/** How long after the end the "it has ended" message may still go out (a worker down for a while). */
const EXPIRED_NOTICE_WINDOW_MS = 3 * DAY_MS;

export interface RemindersDeps {
  db: Pick<Database, 'repos'>;
  /** Reminders go to the sweep lane (`notifications-sweep`), never ahead of receipts. */
  producers: Pick<Producers, 'sweepNotifications'>;
  clock?: () => Date;
  /** Subscriptions read per page (tests cut runs of equal ends with small pages). */
  pageSize?: number;
}

type Notification = InputOf<typeof sweepNotificationsQueue>;

/**
 * Walks a window page by page, queueing each page's due notifications in one `addBulk` (one Redis
 * round trip), and returns how many were queued.
 */
async function sweep(
  read: (after: ReminderCursor | undefined) => Promise<DueReminderPage>,
  toJob: (row: DueReminder) => Notification,
  producers: RemindersDeps['producers'],
): Promise<number> {
  let queued = 0;
  let after: ReminderCursor | undefined;
  do {
    const page = await read(after);
    await producers.sweepNotifications.addBulk(page.rows.map((row) => ({ payload: toJob(row) })));
    queued += page.rows.length;
    after = page.next ?? undefined;
  } while (after);
  return queued;
}

/**
 * `reminders`: for each active subscription ending within three days, the reminder for the day
 * it is in (3, 2 or 1 days left); for each that ended lately, the "ended" notice. Only what is
 * due is read: the selection leaves out what sent_notifications already holds (sent, dropped or
 * being sent) and customers who blocked the bot, so a run with nothing newly due queues nothing.
 * Each is a `notifications-sweep` job (the bulk lane: receipts never wait behind them) whose reference is subscription id + ends_at (+ days), so it is
 * sent once (the job id dedupes a job still queued, sent_notifications one already sent), two
 * workers sweeping at once change nothing, and an extension (a new ends_at) re-arms every
 * reminder. A subscription renewed before its end never gets "ended".
 */
export function createRemindersProcessor(deps: RemindersDeps): Processor<PayloadOf<typeof remindersQueue>> {
  const limit = deps.pageSize ?? PAGE;
  const { reminders } = deps.db.repos;
  return async (_payload, { log }) => {
    const now = (deps.clock ?? (() => new Date()))();
    // The days before the end the operator chose (setting reminders.daysBefore, 3, 2, 1 by
    // default); a sweep that runs late sends only the one now due.
    const days = new Set(await deps.db.repos.settings.getKnown('reminders.daysBefore'));
    const to = new Date(now.getTime() + Math.max(...days) * DAY_MS);
    let queued = await sweep(
      async (after) => {
        const page = await reminders.listDueReminders({ now, to, limit, ...(after ? { after } : {}) });
        return { ...page, rows: page.rows.filter((r) => days.has(r.days ?? 0)) };
      },
      (r) => ({
        userId: r.userId,
        kind: 'expiry_reminder',
        reference: r.reference,
        params: { days: r.days ?? 0, endsAt: r.endsAt.toISOString(), subscriptionId: r.subscriptionId },
      }),
      deps.producers,
    );
    // Ended: marked expired by the sweep, or still active if the sweep has not run yet.
    const since = new Date(now.getTime() - EXPIRED_NOTICE_WINDOW_MS);
    for (const status of ['expired', 'active'] as const) {
      queued += await sweep(
        (after) => reminders.listDueEndedNotices({ status, since, now, limit, ...(after ? { after } : {}) }),
        (r) => ({
          userId: r.userId,
          kind: 'subscription_expired',
          reference: r.reference,
          params: { endsAt: r.endsAt.toISOString(), subscriptionId: r.subscriptionId },
        }),
        deps.producers,
      );
    }
    if (queued > 0) log.info({ queued }, 'reminders queued');
    return { queued };
  };
}
