import { describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../testing/worker-harness.js';

const h = useWorkerHarness({ replicas: 2 });

const settledJob = async (id: string) => {
  const queue = h.queues.queue(h.producers.notifications.contract);
  await h.until(async () => ['completed', 'failed'].includes((await (await queue.getJob(id))?.getState()) ?? ''), 10_000, `job ${id}`);
  return (await queue.getJob(id))!;
};

describe('notifications', () => {
  it('renders the text in the customer language with formatted amount and date, once per reference', async () => {
    const user = await h.customer();
    const params = { paymentId: 'p1', amountMinor: 29_900, currency: 'RUB', days: 30, endsAt: '2030-03-01T12:00:00.000Z' };
    // Same reference twice (a duplicate outbox row in another job): one message.
    await h.producers.notifications.add({ userId: user.id, kind: 'payment_succeeded', reference: 'p1', params }, { jobId: 'a' });
    await h.producers.notifications.add({ userId: user.id, kind: 'payment_succeeded', reference: 'p1', params }, { jobId: 'b' });
    await settledJob('a');
    await settledJob('b');
    expect(await h.messagesTo(user)).toEqual(['✅ Оплата 299\u00a0₽ получена. Подписка действует до 1 марта 2030.']);
  });

  it('marks a customer who blocked the bot and does not retry', async () => {
    const user = await h.customer();
    await h.telegram.client.blockBot({ from: user.telegramId, bot: 'vpn_client_bot' });
    const job = await h.producers.notifications.add({
      userId: user.id,
      kind: 'subscription_expired',
      reference: 'x',
      params: { endsAt: new Date().toISOString() },
    });
    const done = await settledJob(String(job.id));
    expect(await done.getState()).toBe('completed');
    expect(done.attemptsMade).toBe(0);
    expect((await h.db.repos.users.findById(user.id))?.botBlockedAt).toBeInstanceOf(Date);
    // Later notifications are not even attempted.
    const calls = (await h.telegram.client.getCalls({ method: 'sendMessage' })).length;
    await settledJob(
      String((await h.producers.notifications.add({ userId: user.id, kind: 'subscription_expired', reference: 'y', params: {} })).id),
    );
    expect((await h.telegram.client.getCalls({ method: 'sendMessage' })).length).toBe(calls);
  });

  it('fails a kind it has no text for permanently, without sending', async () => {
    const user = await h.customer();
    const job = await h.producers.notifications.add({ userId: user.id, kind: 'made_up_kind', reference: 'r', params: {} });
    const done = await settledJob(String(job.id));
    expect(await done.getState()).toBe('failed');
    expect(await h.messagesTo(user)).toEqual([]);
  });
});
