import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createChangeFeed, parseRowChange, type ChangeFeed, type ChangeListener } from './change-feed.js';
import { makeServer, makeSubscription, useTestDatabase } from './testing/index.js';

type Change = Parameters<ChangeListener>[0];

describe('the change feed (PostgreSQL LISTEN/NOTIFY)', () => {
  const db = useTestDatabase();
  const feeds: ChangeFeed[] = [];
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((f) => f.close()));
  });

  async function started(): Promise<{ feed: ChangeFeed; seen: Change[]; next: (test: (c: Change) => boolean) => Promise<Change> }> {
    const feed = createChangeFeed({ url: db().url, schema: db().schema, retryDelayMs: 20 });
    feeds.push(feed);
    const seen: Change[] = [];
    const waiters: Array<{ test: (c: Change) => boolean; resolve: (c: Change) => void }> = [];
    feed.subscribe((change) => {
      seen.push(change);
      for (const w of waiters.splice(0))
        if (w.test(change)) w.resolve(change);
        else waiters.push(w);
    });
    await feed.start();
    const next = (test: (c: Change) => boolean) =>
      new Promise<Change>((resolve, reject) => {
        const found = seen.find(test);
        if (found) return resolve(found);
        waiters.push({ test, resolve });
        setTimeout(() => reject(new Error(`no such change; seen ${JSON.stringify(seen)}`)), 3_000).unref();
      });
    return { feed, seen, next };
  }
  /** A round trip through the feed: once this arrives, everything announced before it has. */
  const barrier = async (next: Awaited<ReturnType<typeof started>>['next'], key: number) => {
    await db().sequelize.query(`SELECT pg_notify('row_changes', '${db().schema}:subscriptions:${key}')`);
    await next((c) => 'key' in c && c.key === key);
  };

  it('announces a subscription change by user id only once it is committed, and never a rolled-back one', async () => {
    const { feed, seen, next } = await started();
    expect(feed.listening).toBe(true);
    const sub = await makeSubscription(db().repos, {});
    await next((c) => 'table' in c && c.table === 'subscriptions' && c.key === sub.userId);
    seen.length = 0;

    await db().transaction(async (transaction) => {
      await db().repos.subscriptions.update(sub.id, { autoRenew: true }, { transaction });
      await barrier(next, 999_001);
      expect(seen.filter((c) => 'key' in c && c.key === sub.userId)).toEqual([]);
    });
    await next((c) => 'key' in c && c.key === sub.userId && c.table === 'subscriptions');

    seen.length = 0;
    await db()
      .transaction(async (transaction) => {
        await db().repos.subscriptions.update(sub.id, { autoRenew: false }, { transaction });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await barrier(next, 999_002);
    expect(seen.filter((c) => 'key' in c && c.key === sub.userId)).toEqual([]);
  });

  it('announces VPN account changes by subscription id', async () => {
    const { next } = await started();
    const server = await makeServer(db().repos, {});
    const sub = await makeSubscription(db().repos, { serverId: server.id });
    await db().repos.vpnAccounts.upsertDesired({
      subscriptionId: sub.id,
      serverId: server.id,
      panelUserKey: `vpn_s${sub.id}`,
      desiredVersion: 1,
    });
    await next((c) => 'table' in c && c.table === 'vpn_accounts' && c.key === sub.id);
  });

  it('ignores other schemas and foreign payloads', async () => {
    const { seen, next } = await started();
    await db().sequelize.query(`SELECT pg_notify('row_changes', 'someone_else:subscriptions:5'), pg_notify('row_changes', 'garbage')`);
    await barrier(next, 999_003);
    expect(seen).toEqual([{ table: 'subscriptions', key: 999_003 }]);
    expect(parseRowChange(`${db().schema}:admins:5`, db().schema)).toBeNull();
    expect(parseRowChange(`${db().schema}:users:5`, db().schema)).toEqual({ table: 'users', key: 5 });
    expect(parseRowChange(`${db().schema}:subscriptions:5:6`, db().schema)).toBeNull();
    expect(parseRowChange(`${db().schema}:subscriptions:x`, db().schema)).toBeNull();
    expect(parseRowChange(`${db().schema}:vpn_accounts:42`, db().schema)).toEqual({ table: 'vpn_accounts', key: 42 });
  });

  it('passes a lost connection on as a reset, reconnects and announces again', async () => {
    const { feed, next } = await started();
    const pid = feed.backendPid;
    expect(pid).toBeGreaterThan(0);
    await db().sequelize.query(`SELECT pg_terminate_backend(${pid})`);
    await next((c) => 'reset' in c);
    await expect.poll(() => feed.listening, { timeout: 3_000 }).toBe(true);
    expect(feed.backendPid).not.toBe(pid);
    await barrier(next, 999_004);
  });

  it('notices a connection that went silent (no error, nothing delivered), resets and reconnects', async () => {
    // A TCP relay to PostgreSQL that can black-hole its open connections, as a NAT that dropped
    // them would: no FIN, no RST, nothing arrives any more.
    const target = new URL(db().url);
    const open = new Set<{ client: Socket; server: Socket }>();
    let silent = false;
    const relay = createServer((client) => {
      const server = connect(Number(target.port || 5432), target.hostname);
      const pair = { client, server };
      open.add(pair);
      client.on('data', (d) => void (silent || server.write(d)));
      server.on('data', (d) => void (silent || client.write(d)));
      const done = () => {
        open.delete(pair);
        client.destroy();
        server.destroy();
      };
      client.on('close', done).on('error', done);
      server.on('close', done).on('error', done);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const port = (relay.address() as { port: number }).port;
    const url = new URL(db().url);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    const feed = createChangeFeed({ url: url.toString(), schema: db().schema, retryDelayMs: 20, heartbeatMs: 100 });
    feeds.push(feed);
    const resets: number[] = [];
    const keys: number[] = [];
    feed.subscribe((c) => void ('reset' in c ? resets.push(Date.now()) : keys.push(c.key)));
    try {
      await feed.start();
      expect(feed.listening).toBe(true);
      // Everything goes quiet, the connections made meanwhile too (their connect must time out).
      silent = true;
      await expect.poll(() => resets.length, { timeout: 3_000 }).toBeGreaterThan(0);
      expect(feed.listening).toBe(false);
      await new Promise((r) => setTimeout(r, 300));
      silent = false;
      await expect.poll(() => feed.listening, { timeout: 5_000 }).toBe(true);
      await db().sequelize.query(`SELECT pg_notify('row_changes', '${db().schema}:subscriptions:999005')`);
      await expect.poll(() => keys, { timeout: 3_000 }).toContain(999_005);
    } finally {
      await feed.close();
      for (const pair of open) pair.client.destroy();
      await new Promise<void>((r) => relay.close(() => r()));
    }
  });
});
