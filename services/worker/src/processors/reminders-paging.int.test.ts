import { describe, expect, it } from 'vitest';
import type { Job } from '@vpn/queues';
import { makeSubscription } from '@vpn/db/testing';
import { silentLogger } from '@vpn/logger';
import { useWorkerHarness } from '../testing/worker-harness.js';
import { createRemindersProcessor } from './reminders.processor.js';

const DAY = 86_400_000;
const h = useWorkerHarness();

/** One reminders run with pages of `pageSize` (the production page is 500: the same code, smaller data). */
async function run(pageSize: number, now: Date): Promise<number> {
  const reminders = createRemindersProcessor({ db: h.db, producers: h.producers, clock: () => now, pageSize });
  const { queued } = (await reminders({}, { job: {} as Job, log: silentLogger() })) as { queued: number };
  const notifications = h.queues.queue(h.producers.sweepNotifications.contract);
  await h.until(async () => {
    const q = await notifications.getJobCounts();
    return q.waiting + q.active + q.delayed === 0;
  }, 10_000);
  return queued;
}

describe('reminders paging', () => {
  it('reminds every subscription of a run of equal ends that a page boundary cuts, and a second run queues nothing', async () => {
    const now = new Date();
    // Date-only ends (an import): seven subscriptions end at the same instant; pages of 3 cut the run twice.
    const sharedEnd = new Date(now.getTime() + 2.5 * DAY);
    const sameEnd = [];
    for (let i = 0; i < 7; i++) {
      const user = await h.customer();
      sameEnd.push(user);
      await makeSubscription(h.db.repos, { userId: user.id, endsAt: sharedEnd });
    }
    // Ended ones share an end too: the "ended" notice pages the same way.
    const ended = [];
    for (let i = 0; i < 4; i++) {
      const user = await h.customer();
      ended.push(user);
      await makeSubscription(h.db.repos, {
        userId: user.id,
        status: 'expired',
        startsAt: new Date(now.getTime() - 30 * DAY),
        endsAt: new Date(now.getTime() - DAY),
      });
    }

    // A customer who blocked the bot is not written to, so is not even queued.
    const blocked = await h.customer();
    await makeSubscription(h.db.repos, { userId: blocked.id, endsAt: sharedEnd });
    await h.db.repos.users.markBotBlocked(blocked.telegramId);

    expect(await run(3, now)).toBe(11);
    for (const user of sameEnd) expect(await h.messagesTo(user)).toEqual([expect.stringContaining('Подписка закончится через 3 дня')]);
    for (const user of ended) expect(await h.messagesTo(user)).toEqual([expect.stringContaining('Подписка закончилась')]);

    // Nothing new is due: the next run selects nothing and queues nothing.
    expect(await run(3, new Date(now.getTime() + 15 * 60_000))).toBe(0);
    // A day later the 2-day reminders are due, and only they.
    expect(await run(3, new Date(now.getTime() + DAY))).toBe(7);
    expect(await run(3, new Date(now.getTime() + DAY + 60_000))).toBe(0);
  });
});
