import type { Database, OutboxInput, Repositories, Transaction } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { BILLING_SETTING_KEYS, resolveBillingSettings, type BillingSettings } from './domain/settings.js';

/** What `createBilling` needs. */
export interface BillingDeps {
  db: Pick<Database, 'repos' | 'transaction'>;
  logger: Logger;
  /** The time source; tests pass a fixed or movable clock. Default `() => new Date()`. */
  clock?: () => Date;
  /** How long settings read from the database are reused. Default 10 s; 0 = read every time. */
  settingsTtlMs?: number;
  /**
   * Test seam for crash simulation: called inside the settlement transaction after every write,
   * just before commit. Throwing from it rolls the whole settlement back. Never set in production.
   */
  beforeSettlementCommit?: (paymentId: string) => void | Promise<void>;
}

/** Shared by every billing area; internal to the package. */
export interface BillingContext {
  repos: Repositories;
  logger: Logger;
  now(): Date;
  settings(tx?: Transaction): Promise<BillingSettings>;
  /**
   * Runs `fn` in one database transaction. Outbox rows queued with {@link enqueue} inside it are
   * written together, in one INSERT, when `fn` is done (or earlier by {@link flushOutbox}).
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Queues an outbox row in `tx` (written at once when `tx` was not opened by {@link transaction}). */
  enqueue(row: OutboxInput, tx: Transaction): Promise<void>;
  /** Writes the rows queued in `tx` so far. */
  flushOutbox(tx: Transaction): Promise<void>;
  beforeSettlementCommit?: (paymentId: string) => void | Promise<void>;
}

export function createContext(deps: BillingDeps): BillingContext {
  const ttl = deps.settingsTtlMs ?? 10_000;
  const clock = deps.clock ?? (() => new Date());
  let cached: { at: number; value: BillingSettings } | undefined;
  const keys = Object.values(BILLING_SETTING_KEYS);
  // Outbox rows owed by each open transaction: one round trip at the end instead of one per row.
  const queued = new WeakMap<Transaction, OutboxInput[]>();
  const flushOutbox = async (tx: Transaction) => {
    const rows = queued.get(tx);
    if (!rows?.length) return;
    queued.set(tx, []);
    await deps.db.repos.outbox.addMany(rows, { transaction: tx });
  };

  return {
    repos: deps.db.repos,
    logger: deps.logger,
    now: clock,
    async settings(tx) {
      const at = Date.now();
      if (cached && ttl > 0 && at - cached.at < ttl) return cached.value;
      // One query for all of them; billing keys are never secret, so `list` shows them in clear.
      const wanted = new Set<string>(keys);
      const rows = await deps.db.repos.settings.list({ transaction: tx });
      const raw = Object.fromEntries(rows.filter((r) => wanted.has(r.key) && !r.encrypted).map((r) => [r.key, r.value]));
      const value = resolveBillingSettings(raw);
      cached = { at, value };
      return value;
    },
    transaction: (fn) =>
      deps.db.transaction(async (tx) => {
        queued.set(tx, []);
        const out = await fn(tx);
        await flushOutbox(tx);
        return out;
      }),
    async enqueue(row, tx) {
      const rows = queued.get(tx);
      if (rows) rows.push(row);
      else await deps.db.repos.outbox.addMany([row], { transaction: tx });
    },
    flushOutbox,
    beforeSettlementCommit: deps.beforeSettlementCommit,
  };
}
