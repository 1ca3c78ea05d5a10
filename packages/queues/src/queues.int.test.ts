import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, redisSchema } from '@vpn/config';
import { silentLogger } from '@vpn/logger';
import { z } from 'zod';
import { PermanentJobError } from './backoff.js';
import { consume } from './consume.js';
import { defineQueue } from './contract.js';
import { remindersQueue, settlementQueue } from './contracts/index.js';
import { createProducer, createProducers, InvalidPayloadError } from './producer.js';
import { schedule } from './schedule.js';
import { createTestQueueFactory } from './testing/index.js';

const { REDIS_URL } = loadConfig(redisSchema);
const factory = createTestQueueFactory(REDIS_URL);
const producers = createProducers(factory);
const logger = silentLogger();

afterAll(() => factory.cleanup());

/** Resolves with the job's final state once it completed or failed for good. */
async function settled(queueName: string, id: string | number, timeoutMs = 5_000): Promise<{ state: string }> {
  const queue = factory.opened().find((q) => q.name === queueName)!;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (state === 'completed' || state === 'failed') return { state };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('producers', () => {
  it('make a double enqueue of the same natural key one job', async () => {
    const a = await producers.settlement.add({ paymentEventId: 'ev-1' });
    const b = await producers.settlement.add({ paymentEventId: 'ev-1' });
    expect(a.id).toBe('settle:ev-1');
    expect(b.id).toBe(a.id);
    const queue = factory.queue(settlementQueue);
    expect((await queue.getWaiting()).filter((j) => j.id === 'settle:ev-1')).toHaveLength(1);
    expect(a.opts.attempts).toBe(settlementQueue.defaults.attempts);
  });

  it('add many jobs at once, still one per natural key, with the contract defaults', async () => {
    const jobs = await producers.settlement.addBulk([
      { payload: { paymentEventId: 'b-1' } },
      { payload: { paymentEventId: 'b-2' } },
      { payload: { paymentEventId: 'b-1' } },
    ]);
    expect(jobs.map((j) => j.id)).toEqual(['settle:b-1', 'settle:b-2', 'settle:b-1']);
    expect(jobs[1]?.opts.attempts).toBe(settlementQueue.defaults.attempts);
    const waiting = await factory.queue(settlementQueue).getWaiting();
    expect(
      waiting
        .map((j) => j.id)
        .filter((id) => String(id).startsWith('settle:b-'))
        .sort(),
    ).toEqual(['settle:b-1', 'settle:b-2']);
    await expect(
      producers.settlement.addBulk([{ payload: { paymentEventId: 'b-3' } }, { payload: { paymentEventId: '' } }]),
    ).rejects.toBeInstanceOf(InvalidPayloadError);
    expect(await factory.queue(settlementQueue).getJob('settle:b-3')).toBeNull();
  });

  it('refuse a payload the contract rejects, enqueuing nothing', async () => {
    await expect(producers.notifications.add({ userId: 1, kind: 'x y', reference: '' })).rejects.toBeInstanceOf(InvalidPayloadError);
    const counts = await factory.queue(producers.notifications.contract).getJobCounts();
    expect(counts.waiting + counts.delayed).toBe(0);
  });
});

describe('consume', () => {
  const contract = defineQueue({
    name: 'probe',
    schema: z.object({ n: z.number().int(), mode: z.enum(['ok', 'flaky', 'permanent']) }).strict(),
    defaults: { attempts: 4 },
  });
  const producer = createProducer(factory, contract);
  const seen: Array<{ n: number; attempt: number }> = [];
  consume(
    factory,
    contract,
    async (payload, { job }) => {
      seen.push({ n: payload.n, attempt: job.attemptsMade + 1 });
      if (payload.mode === 'flaky' && job.attemptsMade < 2) throw new Error('panel down');
      if (payload.mode === 'permanent') throw new PermanentJobError('user blocked the bot');
      return payload.n * 2;
    },
    { logger, concurrency: 2 },
  );

  it('runs the processor with the parsed payload', async () => {
    const job = await producer.add({ n: 21, mode: 'ok' });
    expect((await settled('probe', job.id)).state).toBe('completed');
    expect(await (await factory.queue(contract).getJob(job.id))!.returnvalue).toBe(42);
  });

  it('retries a transient failure with backoff until it succeeds', async () => {
    const job = await producer.add({ n: 2, mode: 'flaky' });
    expect((await settled('probe', job.id)).state).toBe('completed');
    expect(seen.filter((s) => s.n === 2).map((s) => s.attempt)).toEqual([1, 2, 3]);
  });

  it('fails a permanent error once, without retrying', async () => {
    const job = await producer.add({ n: 3, mode: 'permanent' });
    expect((await settled('probe', job.id)).state).toBe('failed');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.filter((s) => s.n === 3)).toHaveLength(1);
  });

  it('fails a bad payload permanently without calling the processor', async () => {
    // Bypasses the producer, as a stale release or a hand-made job would.
    const job = await factory.queue(contract).add({ n: 'four', mode: 'ok' } as never);
    expect((await settled('probe', job.id)).state).toBe('failed');
    expect(seen.some((s) => (s.n as unknown) === 'four')).toBe(false);
    expect((await factory.queue(contract).getJob(job.id))!.failedReason).toBe('invalid probe payload');
  });
});

describe('schedule', () => {
  it('registers one repeatable job however many replicas register it', async () => {
    const other = createTestQueueFactory(REDIS_URL, { prefix: factory.prefix });
    try {
      await Promise.all([
        schedule(factory, remindersQueue, {}, { id: 'reminders', every: 60_000 }),
        schedule(other, remindersQueue, {}, { id: 'reminders', every: 60_000 }),
        schedule(factory, remindersQueue, {}, { id: 'reminders', every: 60_000 }),
      ]);
      const repeatable = await factory.queue(remindersQueue).getRepeatableJobs();
      expect(repeatable).toHaveLength(1);
      expect(repeatable[0]).toMatchObject({ id: 'reminders', every: 60_000 });
      const delayed = await factory.queue(remindersQueue).getDelayed();
      expect(delayed).toHaveLength(1);

      // A new cadence replaces the old one instead of adding a second schedule.
      await schedule(other, remindersQueue, {}, { id: 'reminders', every: 30_000 });
      const after = await factory.queue(remindersQueue).getRepeatableJobs();
      expect(after.map((r) => r.every)).toEqual([30_000]);
    } finally {
      await other.close();
    }
  });
});
