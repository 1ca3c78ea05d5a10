import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../api/api-defaults.js';
import { TOKEN, startKitWorld, type KitWorld } from '../test/harness.js';
import { botIdOf } from './send-limit.transformer.js';
import { createSendLimiter, type SendLimiter } from './send-limiter.js';

describe('sends through the shared limiter against the emulator', () => {
  let world: KitWorld;
  let limiter: SendLimiter;
  const users: number[] = [];

  beforeAll(async () => {
    world = await startKitWorld('send-limit');
    limiter = createSendLimiter(world.redis, world.prefix, { globalPerSecond: 5, chatPerSecond: 1, paidPerSecond: 1000 });
    for (let i = 0; i < 12; i++) {
      const user = await world.emulator.client.createUser({ firstName: `U${i}` });
      await world.emulator.client.sendCommand({ from: user.id, bot: TOKEN, command: 'start' });
      users.push(user.id);
    }
  });
  afterAll(() => world.close());

  const api = (lane: 'transactional' | 'bulk', onPaidSend?: (chatId: number | string) => void) =>
    createApi(TOKEN, {
      apiRoot: world.emulator.apiRoot,
      sendLimit: { limiter, botId: botIdOf(TOKEN), lane, ...(onPaidSend ? { onPaidSend } : {}) },
    });

  it('keeps two clients of one token under Telegram-like limits: no 429 at all', async () => {
    await world.emulator.client.setRateLimits({ global: { burst: 5, perSecond: 5, retryAfter: 30 } });
    try {
      const worker = api('bulk');
      const bot = api('transactional');
      await Promise.all(users.map((id, i) => (i % 2 ? worker : bot).sendMessage(id, `hello ${i}`)));
      const calls = await world.emulator.client.getCalls({ bot: TOKEN, method: 'sendMessage' });
      expect(calls).toHaveLength(12);
      expect(calls.filter((c) => c.errorCode !== undefined)).toEqual([]);
    } finally {
      await world.emulator.client.setRateLimits(false);
    }
  });

  it("shares a 429's retry_after with every client of the token", async () => {
    const shared = createSendLimiter(world.redis, `${world.prefix}storm:`, { globalPerSecond: 5, chatPerSecond: 1, paidPerSecond: 1000 });
    const over = (lane: 'transactional' | 'bulk') =>
      createApi(TOKEN, { apiRoot: world.emulator.apiRoot, sendLimit: { limiter: shared, botId: botIdOf(TOKEN), lane } });
    const first = over('transactional');
    const second = over('bulk');
    await world.emulator.client.injectFault({
      method: 'sendMessage',
      bot: TOKEN,
      error: { code: 429, description: 'Too Many Requests: retry after 2', retryAfter: 2 },
    });
    const hit = Date.now();
    // The first client's auto-retry waits the 2 s itself; the second never met the 429 but waits too.
    const [, secondAt] = await Promise.all([
      first.sendMessage(users[0] ?? 0, 'after the storm'),
      new Promise((r) => setTimeout(r, 100)).then(() => second.sendMessage(users[1] ?? 0, 'me too').then(() => Date.now())),
    ]);
    expect(secondAt - hit).toBeGreaterThanOrEqual(1_900);
  });

  it('reports the sends that went out on paid-broadcast slots', async () => {
    const fresh = createSendLimiter(world.redis, `${world.prefix}paid:`, { globalPerSecond: 1, chatPerSecond: 1, paidPerSecond: 1000 });
    const paidChats: (number | string)[] = [];
    const bulk = createApi(TOKEN, {
      apiRoot: world.emulator.apiRoot,
      sendLimit: { limiter: fresh, botId: botIdOf(TOKEN), lane: 'bulk', onPaidSend: (id) => paidChats.push(id) },
    });
    await world.emulator.client.setRateLimits({ global: { burst: 1, perSecond: 1 } });
    try {
      for (const id of users.slice(2, 6)) await bulk.sendMessage(id, 'promo', { allow_paid_broadcast: true });
      expect(paidChats).toEqual(users.slice(3, 6));
      expect(await world.emulator.client.getPaidBroadcasts(TOKEN)).toEqual({ messages: 3, stars: 0.3 });
    } finally {
      await world.emulator.client.setRateLimits(false);
    }
  });
});
