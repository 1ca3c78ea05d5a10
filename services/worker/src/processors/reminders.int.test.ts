import { describe, expect, it } from 'vitest';
import { makeSubscription } from '@vpn/db/testing';
import { useWorkerHarness } from '../testing/worker-harness.js';

const DAY = 86_400_000;
const h = useWorkerHarness({ replicas: 2 });

/** Runs `n` reminder sweeps at once and waits until they and the notifications they queued are done. */
async function sweep(n = 2): Promise<void> {
  const reminders = h.queues.queue(h.producers.reminders.contract);
  const notifications = h.queues.queue(h.producers.sweepNotifications.contract);
  await Promise.all(Array.from({ length: n }, () => h.producers.reminders.add({})));
  const idle = async () => {
    const [r, q] = await Promise.all([reminders.getJobCounts(), notifications.getJobCounts()]);
    return r.waiting + r.active + q.waiting + q.active + q.delayed === 0;
  };
  await h.until(idle, 10_000, 'sweeps and notifications');
}

describe('expiry reminders', () => {
  it('sends each reminder once with two workers sweeping concurrently, and re-arms after an extension', async () => {
    const user = await h.customer();
    const sub = await makeSubscription(h.db.repos, { userId: user.id, endsAt: new Date(Date.now() + 2.5 * DAY) });
    await sweep();
    await sweep();
    expect(await h.messagesTo(user)).toEqual([expect.stringContaining('Подписка закончится через 3 дня')]);

    // A day later (the end moved closer): the 2-day reminder, once.
    await h.db.repos.subscriptions.update(sub.id, { endsAt: new Date(Date.now() + 1.5 * DAY) });
    await sweep(3);
    expect((await h.messagesTo(user)).filter((m) => m.includes('через 2 дня'))).toHaveLength(1);

    // Extended by a payment: the new end re-arms the 3-day reminder.
    await h.db.repos.subscriptions.update(sub.id, { endsAt: new Date(Date.now() + 2.9 * DAY) });
    await sweep();
    expect((await h.messagesTo(user)).filter((m) => m.includes('через 3 дня'))).toHaveLength(2);
  });

  it('follows the days the operator set (reminders.daysBefore): a week before, and not three days before', async () => {
    const week = await h.customer();
    const three = await h.customer();
    await makeSubscription(h.db.repos, { userId: week.id, endsAt: new Date(Date.now() + 6.5 * DAY) });
    await makeSubscription(h.db.repos, { userId: three.id, endsAt: new Date(Date.now() + 2.5 * DAY) });
    await h.db.repos.settings.set('reminders.daysBefore', [7, 1]);
    try {
      await sweep();
    } finally {
      await h.db.repos.settings.remove('reminders.daysBefore');
    }
    expect(await h.messagesTo(week)).toEqual([expect.stringContaining('через 7 дней')]);
    expect(await h.messagesTo(three)).toEqual([]);
  });

  it('on the last day: the 1-day reminder once, with no 2- or 3-day reminder for the same end', async () => {
    const user = await h.customer();
    await makeSubscription(h.db.repos, { userId: user.id, endsAt: new Date(Date.now() + 0.4 * DAY) });
    await sweep(3);
    await sweep(2);
    expect(await h.messagesTo(user)).toEqual([expect.stringContaining('Подписка закончится через 1 день')]);
    const [rows] = await h.db.sequelize.query("SELECT reference FROM sent_notifications WHERE user_id = $1 AND kind = 'expiry_reminder'", {
      bind: [user.id],
    });
    expect((rows as Array<{ reference: string }>).map((r) => r.reference.split(':').at(-1))).toEqual(['1d']);
  });

  it('says "ended" once after the end, and nothing for a subscription far from its end', async () => {
    const ended = await h.customer();
    const far = await h.customer();
    await makeSubscription(h.db.repos, {
      userId: ended.id,
      status: 'expired',
      startsAt: new Date(Date.now() - 30 * DAY),
      endsAt: new Date(Date.now() - 3_600_000),
    });
    await makeSubscription(h.db.repos, { userId: far.id, endsAt: new Date(Date.now() + 20 * DAY) });
    await sweep(3);
    expect(await h.messagesTo(ended)).toEqual([expect.stringContaining('Подписка закончилась')]);
    expect(await h.messagesTo(far)).toEqual([]);
  });
});
