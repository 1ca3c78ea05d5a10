import type { FirstSeen, TelegramProfile, User, UsersRepository } from '@vpn/db';
import { createTtlMap } from './ttl-map.js';

export interface CustomerCacheOptions {
  users: UsersRepository;
  /** How long a row is reused without asking PostgreSQL; default 5 s (an admin block takes effect within it). */
  ttlMs?: number;
  /** Entries kept; the oldest go first. Default 50 000 (≈ a few MB). */
  maxEntries?: number;
  now?: () => number;
}

/** The customer rows of recent updates, so a busy chat costs no query per button press. */
export interface CustomerCache {
  /** The cached row, else the stored one, else a new customer registered with `firstSeen` (called only then). */
  load(profile: TelegramProfile, firstSeen: () => Promise<FirstSeen>): Promise<{ user: User; created: boolean }>;
  /** Registers or refreshes the names (the /start path), recording `firstSeen` only on creation. */
  upsert(profile: TelegramProfile, firstSeen: FirstSeen): Promise<{ user: User; created: boolean }>;
  /** Replaces the cached row after this process changed it. */
  put(user: User): void;
  forget(telegramId: number): void;
  /** Rows held now. */
  readonly size: number;
}

/** An in-process TTL cache over `users`; every process keeps its own, nothing is shared. */
export function createCustomerCache(options: CustomerCacheOptions): CustomerCache {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 50_000;
  const now = options.now ?? Date.now;
  const entries = createTtlMap<number, User>({ ttlMs, maxEntries, now });
  const put = (user: User) => entries.set(user.telegramId, user);

  const upsert = async (profile: TelegramProfile, firstSeen: FirstSeen) => {
    const result = await options.users.upsertFromTelegram(profile, firstSeen);
    put(result.user);
    return result;
  };

  return {
    async load(profile, firstSeen) {
      const hit = entries.get(profile.telegramId);
      if (hit) return { user: hit, created: false };
      const stored = await options.users.findByTelegramId(profile.telegramId);
      if (stored) {
        put(stored);
        return { user: stored, created: false };
      }
      return upsert(profile, await firstSeen());
    },
    upsert,
    put,
    forget: (telegramId) => void entries.delete(telegramId),
    get size() {
      return entries.size;
    },
  };
}
