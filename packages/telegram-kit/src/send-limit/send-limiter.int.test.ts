import { randomUUID } from 'node:crypto';
import { loadConfig, redisSchema } from '@vpn/config';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendLimiter, type SendRates } from './send-limiter.js';

/** Two connections stand for two processes sending as the same bot. */
let a: Redis;
let b: Redis;
const prefix = `test:send-limit:${randomUUID()}:`;

beforeAll(() => {
  const url = loadConfig(redisSchema).REDIS_URL;
  a = new Redis(url, { maxRetriesPerRequest: 1 });
  b = new Redis(url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  const keys = await a.keys(`${prefix}*`);
  if (keys.length > 0) await a.del(...keys);
  a.disconnect();
  b.disconnect();
});

const RATES: SendRates = { globalPerSecond: 20, chatPerSecond: 100, chatBurst: 1, paidPerSecond: 1000, bulkAheadMs: 100 };
let nextBot = 1;
const botId = () => nextBot++;

describe('the shared send limiter (GCRA in Redis)', () => {
  it('holds the global rate across processes: 21 sends at 20/s from two processes take at least a second', async () => {
    const bot = botId();
    const one = createSendLimiter(a, prefix, RATES);
    const two = createSendLimiter(b, prefix, RATES);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 21 }, (_, i) =>
        (i % 2 === 0 ? one : two).acquire(bot, 1_000 + i, { lane: i % 3 === 0 ? 'bulk' : 'transactional' }),
      ),
    );
    // The first goes at once, the 20 others one interval (50 ms) apart.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('holds the per-chat rate, and a group chat at 20 a minute', async () => {
    const bot = botId();
    const limiter = createSendLimiter(a, prefix, { ...RATES, globalPerSecond: 1000, chatPerSecond: 10 });
    const started = Date.now();
    for (let i = 0; i < 5; i++) await limiter.acquire(bot, 42, { lane: 'transactional' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    await limiter.acquire(bot, -100, { lane: 'transactional' });
    const second = Date.now();
    await limiter.acquire(bot, -100, { lane: 'transactional' });
    expect(Date.now() - second).toBeGreaterThanOrEqual(2_900);
  });

  it('puts transactional sends ahead of a running bulk send', async () => {
    const bot = botId();
    const limiter = createSendLimiter(a, prefix, { ...RATES, globalPerSecond: 10 });
    const other = createSendLimiter(b, prefix, { ...RATES, globalPerSecond: 10 });
    const order: string[] = [];
    let stop = false;
    const bulkLoop = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        await other.acquire(bot, 10_000 * worker + i, { lane: 'bulk' });
        if (!stop) order.push('bulk');
      }
    };
    const loops = [1, 2, 3].map((w) => bulkLoop(w));
    await new Promise((r) => setTimeout(r, 300));
    const mark = order.length;
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => limiter.acquire(bot, 500 + i, { lane: 'transactional' }).then(() => order.push('receipt'))),
    );
    stop = true;
    await Promise.all(loops);
    const after = order.slice(mark);
    // Bulk had booked at most 100 ms ahead (one slot at 10/s) when the receipts came; then the receipts went first.
    expect(after.lastIndexOf('receipt') - 4).toBeLessThanOrEqual(2);
    expect(after.filter((x) => x === 'receipt')).toHaveLength(5);
  });

  it("pauses every sender of the token for a 429's retry_after, and only that token", async () => {
    const bot = botId();
    const other = botId();
    const one = createSendLimiter(a, prefix, RATES);
    const two = createSendLimiter(b, prefix, RATES);
    await one.pause(bot, 1);
    const started = Date.now();
    await two.acquire(other, 1, { lane: 'transactional' });
    const unpausedMs = Date.now() - started;
    await two.acquire(bot, 1, { lane: 'transactional' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(unpausedMs).toBeLessThan(950);
    // A shorter pause does not shorten a longer one.
    await one.pause(bot, 2);
    await one.pause(bot, 0.1);
    const again = Date.now();
    await two.acquire(bot, 2, { lane: 'bulk' });
    expect(Date.now() - again).toBeGreaterThanOrEqual(1_900);
  });

  it('lets paid broadcasts past the free rate on paid slots, and says which were paid', async () => {
    const bot = botId();
    const limiter = createSendLimiter(a, prefix, { ...RATES, globalPerSecond: 1, paidPerSecond: 1000 });
    const slots = [];
    for (let i = 0; i < 30; i++) slots.push(await limiter.acquire(bot, 2_000 + i, { lane: 'bulk', paid: true }));
    expect(slots[0]?.paid).toBe(false);
    expect(slots.filter((s) => s.paid).length).toBeGreaterThanOrEqual(28);
    // Without the flag, the free rate holds: the next bulk send waits for the free slot.
    const started = Date.now();
    await limiter.acquire(bot, 3_000, { lane: 'bulk' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('fails open when Redis does not answer', async () => {
    const broken = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    broken.on('error', () => undefined);
    const limiter = createSendLimiter(broken, prefix, RATES);
    await expect(limiter.acquire(botId(), 1, { lane: 'transactional' })).resolves.toMatchObject({ paid: false });
    broken.disconnect();
  });
});
