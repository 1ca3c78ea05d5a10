import { useTestDatabase } from '@vpn/db/testing';
import { describe, expect, it } from 'vitest';
import { createCustomerCache } from './customer-cache.js';

// The cache over the real users repository: rows are reused for the TTL, then read again.
const db = useTestDatabase();
let nextId = 7_100_000_000;

describe('customer cache', () => {
  const setup = (options: { ttlMs?: number; maxEntries?: number } = {}) => {
    let clock = 1_000_000;
    const cache = createCustomerCache({ users: db().repos.users, now: () => clock, ...options });
    return { cache, tick: (ms: number) => (clock += ms) };
  };
  const profile = () => ({ telegramId: ++nextId, firstName: 'Ann', languageCode: 'en' });
  const firstSeen = () => Promise.resolve({ source: 'cache-test' });

  it('registers on first contact, reuses the row within the TTL, and reads it again after', async () => {
    const { cache, tick } = setup({ ttlMs: 5_000 });
    const p = profile();
    const first = await cache.load(p, firstSeen);
    expect(first).toMatchObject({ created: true, user: { telegramId: p.telegramId, source: 'cache-test', blocked: false } });
    // An admin blocks the customer: within the TTL the cached row still serves...
    await db().repos.users.setBlocked(first.user.id, true, 'abuse');
    tick(4_999);
    expect(await cache.load(p, firstSeen)).toMatchObject({ created: false, user: { blocked: false } });
    // ...and once it lapses the block takes effect.
    tick(2);
    expect(await cache.load(p, firstSeen)).toMatchObject({ created: false, user: { blocked: true } });
  });

  it('forget and put replace an entry at once; firstSeen is asked only for a new customer', async () => {
    const { cache } = setup({ ttlMs: 60_000 });
    const p = profile();
    const { user } = await cache.load(p, firstSeen);
    await db().repos.users.setBlocked(user.id, true);
    expect((await cache.load(p, () => Promise.reject(new Error('not new')))).user.blocked).toBe(false);
    cache.forget(p.telegramId);
    expect((await cache.load(p, () => Promise.reject(new Error('not new')))).user.blocked).toBe(true);
    cache.put({ ...user, firstName: 'Put' });
    expect((await cache.load(p, firstSeen)).user.firstName).toBe('Put');
  });

  it('keeps at most maxEntries rows, dropping the oldest first', async () => {
    const { cache } = setup({ ttlMs: 60_000, maxEntries: 2 });
    const [a, b, c] = [profile(), profile(), profile()];
    const rowA = (await cache.load(a, firstSeen)).user;
    const rowB = (await cache.load(b, firstSeen)).user;
    await Promise.all([db().repos.users.setBlocked(rowA.id, true), db().repos.users.setBlocked(rowB.id, true)]);
    await cache.load(c, firstSeen);
    // c pushed a out: a is read again (blocked now), which in turn pushes out b, the oldest left.
    expect((await cache.load(a, firstSeen)).user.blocked).toBe(true);
    expect((await cache.load(c, firstSeen)).user.blocked).toBe(false);
    expect((await cache.load(b, firstSeen)).user.blocked).toBe(true);
  });

  it('lets go of rows past the TTL as new ones come, so it holds only recent customers', async () => {
    const { cache, tick } = setup({ ttlMs: 5_000 });
    for (const p of [profile(), profile(), profile()]) await cache.load(p, firstSeen);
    expect(cache.size).toBe(3);
    tick(5_000);
    await cache.load(profile(), firstSeen);
    expect(cache.size).toBe(1);
  });
});
