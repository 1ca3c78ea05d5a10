import type { Billing } from '@vpn/billing';
import type { ChangeFeed, ChangedTable, Database, Subscription, VpnAccount } from '@vpn/db';

/** What this cache holds; the feed announces more tables (the support card's), which it ignores. */
type CachedTable = Extract<ChangedTable, 'subscriptions' | 'vpn_accounts'>;
import { createTtlMap, readThrough, type TtlMap } from './ttl-map.js';

export interface LiveCacheOptions {
  /** Committed changes of subscriptions and accounts, whoever made them (see `createChangeFeed`). */
  feed: Pick<ChangeFeed, 'listening' | 'subscribe'>;
  /** The customer's live subscription, else their latest one (billing's `getCurrent`). */
  currentSubscription: (userId: number) => Promise<Subscription | null>;
  accountsOf: (subscriptionId: number) => Promise<VpnAccount[]>;
  /** A safety net only: a change is dropped when it is announced. Default 60 s. */
  ttlMs?: number;
  /** Entries kept per kind; the oldest go first. Default 50 000. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * The customer's subscription and VPN accounts between updates, nearly every screen shows them.
 * Fresh by construction, not by TTL: an entry is dropped the moment PostgreSQL announces a
 * committed change of it (the worker settling a payment, an expiry, an admin), and while the
 * feed is not listening nothing is cached at all. A read in flight when its row changes cannot
 * put the old row back: the entry holds the read's promise from the start, and the change
 * removes it, so the next update reads again.
 */
export interface LiveCache {
  currentSubscription(userId: number): Promise<Subscription | null>;
  accounts(subscriptionId: number): Promise<VpnAccount[]>;
  /** Drops the customer's subscription after this process changed it (before the announcement arrives). */
  forgetCustomer(userId: number): void;
  /** Entries held now (both kinds). */
  readonly size: number;
}

export function createLiveCache(options: LiveCacheOptions): LiveCache {
  const settings = {
    ttlMs: options.ttlMs ?? 60_000,
    maxEntries: options.maxEntries ?? 50_000,
    ...(options.now ? { now: options.now } : {}),
  };
  const maps: Record<CachedTable, TtlMap<number, Promise<unknown>>> = {
    subscriptions: createTtlMap(settings),
    vpn_accounts: createTtlMap(settings),
  };
  options.feed.subscribe((change) => {
    if ('reset' in change) for (const map of Object.values(maps)) map.clear();
    else if (change.table === 'subscriptions' || change.table === 'vpn_accounts') maps[change.table].delete(change.key);
  });

  function cached<T>(table: CachedTable, key: number, load: () => Promise<T>): Promise<T> {
    if (!options.feed.listening) return load();
    return readThrough(maps[table], key, load);
  }

  return {
    currentSubscription: (userId) => cached('subscriptions', userId, () => options.currentSubscription(userId)),
    accounts: (subscriptionId) => cached('vpn_accounts', subscriptionId, () => options.accountsOf(subscriptionId)),
    forgetCustomer: (userId) => void maps.subscriptions.delete(userId),
    get size() {
      return maps.subscriptions.size + maps.vpn_accounts.size;
    },
  };
}

/** The live cache over billing's current subscription and the accounts repository (production and the test world). */
export function liveCacheOver(
  feed: LiveCacheOptions['feed'],
  sources: { billing: Pick<Billing, 'subscriptions'>; db: Pick<Database, 'repos'> },
): LiveCache {
  return createLiveCache({
    feed,
    currentSubscription: (userId) => sources.billing.subscriptions.getCurrent(userId),
    accountsOf: (subscriptionId) => sources.db.repos.vpnAccounts.findBySubscription(subscriptionId),
  });
}
