import type { Database, Subscription } from '@vpn/db';
import type { PayloadOf, Processor, Producers, remindersQueue } from '@vpn/queues';

const DAY_MS = 86_400_000;
const PAGE = 500;
/** Reminders before the end, in days; a sweep that runs late sends only the one now due. */
export const REMINDER_DAYS = [3, 2, 1] as const;
/** How long after the end the "it has ended" message may still go out (a worker down for a while). */
const EXPIRED_NOTICE_WINDOW_MS = 3 * DAY_MS;

export interface RemindersDeps {
  db: Pick<Database, 'repos'>;
  producers: Pick<Producers, 'notifications'>;
  clock?: () => Date;
}

/** Every subscription in `status` ending in [from, to), page by page in end order. */
async function* ending(db: RemindersDeps['db'], from: Date, to: Date, status: 'active' | 'expired'): AsyncGenerator<Subscription> {
  let cursor = from;
  for (;;) {
    const page = await db.repos.subscriptions.listEndingBetween(cursor, to, { status, limit: PAGE });
    yield* page;
    const last = page.at(-1)?.endsAt;
    if (page.length < PAGE || !last) return;
    cursor = new Date(last.getTime() + 1);
  }
}

/**
 * `reminders`: for each active subscription ending within three days, the reminder for the day
 * it is in (3, 2 or 1 days left); for each that ended lately, the "ended" notice. Each is a
 * `notifications` job whose reference is subscription id + ends_at (+ days), so it is sent once
 * (sent_notifications), two workers sweeping at once change nothing, and an extension (a new
 * ends_at) re-arms every reminder. A subscription renewed before its end never gets "ended".
 */
export function createRemindersProcessor(deps: RemindersDeps): Processor<PayloadOf<typeof remindersQueue>> {
  return async (_payload, { log }) => {
    const now = (deps.clock ?? (() => new Date()))();
    let queued = 0;
    for await (const sub of ending(deps.db, now, new Date(now.getTime() + REMINDER_DAYS[0] * DAY_MS), 'active')) {
      const endsAt = sub.endsAt as Date;
      const days = Math.ceil((endsAt.getTime() - now.getTime()) / DAY_MS);
      await deps.producers.notifications.add({
        userId: sub.userId,
        kind: 'expiry_reminder',
        reference: `${sub.id}:${endsAt.toISOString()}:${days}d`,
        params: { days, endsAt: endsAt.toISOString(), subscriptionId: sub.id },
      });
      queued++;
    }
    // Ended: marked expired by the sweep, or still active if the sweep has not run yet.
    const since = new Date(now.getTime() - EXPIRED_NOTICE_WINDOW_MS);
    for (const status of ['expired', 'active'] as const) {
      for await (const sub of ending(deps.db, since, now, status)) {
        const endsAt = sub.endsAt as Date;
        await deps.producers.notifications.add({
          userId: sub.userId,
          kind: 'subscription_expired',
          reference: `${sub.id}:${endsAt.toISOString()}`,
          params: { endsAt: endsAt.toISOString(), subscriptionId: sub.id },
        });
        queued++;
      }
    }
    if (queued > 0) log.info({ queued }, 'reminders queued');
    return { queued };
  };
}
