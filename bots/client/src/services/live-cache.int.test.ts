import { createBilling } from '@vpn/billing';
import { silentLogger } from '@vpn/logger';
import { createChangeFeed, type ChangeFeed, type Subscription } from '@vpn/db';
import { makeServer, makeSubscription, makeUser, useTestDatabase } from '@vpn/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveCache } from './live-cache.js';

describe('the live cache (real PostgreSQL announcements)', () => {
  const db = useTestDatabase();
  const feeds: ChangeFeed[] = [];
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((f) => f.close()));
  });

  /** The cache over the real reads, counting them; `gate` holds subscription reads until released. */
  async function setup(options: { start?: boolean } = {}) {
    const feed = createChangeFeed({ url: db().url, schema: db().schema, retryDelayMs: 20 });
    feeds.push(feed);
    if (options.start !== false) await feed.start();
    const billing = createBilling({ db: db(), logger: silentLogger() });
    const reads = { subscriptions: 0, accounts: 0 };
    let gate: Promise<void> | null = null;
    const cache = createLiveCache({
      feed,
      currentSubscription: async (userId) => {
        reads.subscriptions++;
        const row = await billing.subscriptions.getCurrent(userId);
        if (gate) await gate;
        return row;
      },
      accountsOf: (subscriptionId) => {
        reads.accounts++;
        return db().repos.vpnAccounts.findBySubscription(subscriptionId);
      },
    });
    const hold = () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    };
    return { feed, cache, reads, hold };
  }
  /** Resolves when the feed passes on a change of `table` with `key` (subscribe before the write). */
  const announced = (feed: ChangeFeed, table: 'subscriptions' | 'vpn_accounts', key: number) =>
    new Promise<void>((resolve) => {
      const stop = feed.subscribe((c) => {
        if ('table' in c && c.table === table && c.key === key) {
          stop();
          resolve();
        }
      });
    });
  /** Waits until the cache read `read` gives a value matching `test` (the announcement's round trip). */
  const eventually = (read: () => Promise<Subscription | null>, test: (s: Subscription | null) => boolean) =>
    expect.poll(async () => test(await read()), { timeout: 3_000, interval: 5 }).toBe(true);

  it('reads a customer once until PostgreSQL announces a change, whoever made it', async () => {
    const { feed, cache, reads } = await setup();
    const user = await makeUser(db().repos);
    const inserted = announced(feed, 'subscriptions', user.id);
    const sub = await makeSubscription(db().repos, { userId: user.id, autoRenew: false });
    // The insert's own announcement first, so it does not drop the entry under test.
    await inserted;
    const [a, b] = await Promise.all([cache.currentSubscription(sub.userId), cache.currentSubscription(sub.userId)]);
    expect(a?.id).toBe(sub.id);
    expect(b).toBe(a);
    await cache.currentSubscription(sub.userId);
    expect(reads.subscriptions).toBe(1);

    // Another process (the worker settling a payment) extends it: the next read is fresh.
    const later = new Date(sub.endsAt!.getTime() + 30 * 86_400_000);
    await db().repos.subscriptions.update(sub.id, { endsAt: later });
    await eventually(
      () => cache.currentSubscription(sub.userId),
      (s) => s?.endsAt?.getTime() === later.getTime(),
    );
    expect(reads.subscriptions).toBe(2);
  });

  it('never keeps a row read while it was being changed', async () => {
    const { cache, reads, hold } = await setup();
    const sub = await makeSubscription(db().repos, { autoRenew: false });
    const release = hold();
    const stale = cache.currentSubscription(sub.userId);
    // The read has its snapshot; the change commits and is announced before the read returns.
    await expect.poll(() => reads.subscriptions).toBe(1);
    await db().repos.subscriptions.update(sub.id, { autoRenew: true });
    await new Promise((r) => setTimeout(r, 100));
    release();
    expect((await stale)?.autoRenew).toBe(false);
    expect((await cache.currentSubscription(sub.userId))?.autoRenew).toBe(true);
  });

  it('caches accounts by subscription and drops them when an account changes', async () => {
    const { cache, reads } = await setup();
    const server = await makeServer(db().repos, {});
    const sub = await makeSubscription(db().repos, { serverId: server.id });
    expect(await cache.accounts(sub.id)).toEqual([]);
    expect(await cache.accounts(sub.id)).toEqual([]);
    expect(reads.accounts).toBe(1);
    await db().repos.vpnAccounts.upsertDesired({
      subscriptionId: sub.id,
      serverId: server.id,
      panelUserKey: `vpn_s${sub.id}`,
      desiredVersion: 1,
    });
    await expect.poll(async () => (await cache.accounts(sub.id)).length, { timeout: 3_000, interval: 5 }).toBe(1);
  });

  it('caches nothing while the feed is not listening, and forgets everything when it loses the connection', async () => {
    const { feed, cache, reads } = await setup({ start: false });
    const sub = await makeSubscription(db().repos, {});
    await cache.currentSubscription(sub.userId);
    await cache.currentSubscription(sub.userId);
    expect(reads.subscriptions).toBe(2);

    await feed.start();
    await cache.currentSubscription(sub.userId);
    await cache.currentSubscription(sub.userId);
    expect(reads.subscriptions).toBe(3);
    expect(cache.size).toBe(1);
    await db().sequelize.query(`SELECT pg_terminate_backend(${feed.backendPid})`);
    await expect.poll(() => cache.size, { timeout: 3_000 }).toBe(0);
    await expect.poll(() => feed.listening, { timeout: 3_000 }).toBe(true);
  });

  it('drops a customer this process changed at once, before the announcement', async () => {
    const { cache, reads } = await setup();
    const sub = await makeSubscription(db().repos, {});
    await cache.currentSubscription(sub.userId);
    cache.forgetCustomer(sub.userId);
    await cache.currentSubscription(sub.userId);
    expect(reads.subscriptions).toBe(2);
  });
});
