import type { OutboxMessage, Plan, User } from '@vpn/db';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase, makePlan, makeUser, type TestDatabase } from '@vpn/db/testing';
import { silentLogger } from '@vpn/logger';
import { createBilling, type Billing } from '../billing.js';
import type { BillingDeps } from '../context.js';
import { isBillingError } from '../errors.js';
import type { SettleResult } from '../settlement.js';

/**
 * Integration-test harness: the real PostgreSQL schema of this vitest worker (`@vpn/db/testing`),
 * billing on a movable clock, and a reader of the outbox rows written since the last read
 * (through the repository's `claim`, exactly as the worker's dispatcher reads them).
 */
export interface Harness {
  db: TestDatabase;
  billing: Billing;
  clock: { now(): Date; set(d: Date): void; advanceHours(h: number): void };
  /** Billing with extra deps (e.g. a crash hook) on the same database and clock. */
  billingWith(extra: Partial<BillingDeps>): Billing;
  /** Outbox rows added since the previous call, oldest first. */
  drainOutbox(): Promise<OutboxMessage[]>;
  user(overrides?: Parameters<typeof makeUser>[1]): Promise<User>;
  plan(overrides?: Parameters<typeof makePlan>[1]): Promise<Plan>;
  /** A pending payment for `plan` created through billing, and its id. */
  checkout(userId: number, planId: number, promoCode?: string): Promise<PendingRef>;
  /** The provider reports `pay` succeeded with exactly its amount and currency. */
  settle(pay: PendingRef): Promise<SettleResult>;
}

export interface PendingRef {
  id: string;
  amountMinor: number;
  currency: string;
}

export async function createHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  // Near real time: payments.created_at and outbox.available_at come from PostgreSQL's clock.
  let now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = {
    now: () => now,
    set: (d: Date) => void (now = d),
    advanceHours: (h: number) => void (now = new Date(now.getTime() + h * 3_600_000)),
  };
  const billingWith = (extra: Partial<BillingDeps>) =>
    createBilling({ db, logger: silentLogger(), clock: clock.now, settingsTtlMs: 0, ...extra });
  const billing = billingWith({});
  let keys = 0;
  return {
    db,
    billing,
    clock,
    billingWith,
    async drainOutbox() {
      const rows = await db.repos.outbox.claim({ limit: 1_000, leaseMs: 3_600_000 });
      return rows.sort((a, b) => a.id - b.id);
    },
    user: (overrides) => makeUser(db.repos, overrides),
    plan: (overrides) => makePlan(db.repos, overrides),
    async checkout(userId, planId, promoCode) {
      const { payment } = await billing.ledger.createPendingPayment({
        userId,
        planId,
        provider: 'yookassa',
        idempotencyKey: `t-${process.pid}-${++keys}-${userId}`,
        promoCode,
        // The checkout's "save the card for auto-renewal" ticked, as it is by default.
        saveCard: true,
      });
      return { id: payment.id, amountMinor: payment.amountMinor, currency: payment.currency };
    },
    settle: (pay) =>
      billing.settlement.settlePayment({
        paymentId: pay.id,
        providerStatus: 'succeeded',
        amountMinor: pay.amountMinor,
        currency: pay.currency,
      }),
  };
}

/**
 * Registers the hooks of one integration test file: the harness is built once, every test starts
 * from empty tables and an empty outbox, and the pool is closed at the end.
 */
export function useHarness(): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await createHarness());
  });
  beforeEach(async () => {
    await h.db.truncateAll();
    await h.drainOutbox();
  });
  afterAll(() => h.db.close());
  return h;
}

/** The BillingError code a promise rejects with, `resolved` if it does not. */
export function errorCode(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (e: unknown) => (isBillingError(e) ? e.code : String(e)),
  );
}

/** `n` days in ms. */
export const days = (n: number): number => n * 86_400_000;
