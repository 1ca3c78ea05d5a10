import { randomUUID } from 'node:crypto';
import { createBilling, type Billing } from '@vpn/billing';
import type { AdminRole, OutboxMessage, Payment, Plan, User } from '@vpn/db';
import { createTestDatabase, makeAdmin, makePlan, makeUser, type TestDatabase } from '@vpn/db/testing';
import { silentLogger } from '@vpn/logger';
import { createPaymentProviders, type PaymentProviders } from '@vpn/payments';
import { createWataEmulator, createYooKassaEmulator, type WataEmulator, type YooKassaEmulator } from '@vpn/payments/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Actor } from '../actor.js';
import { createBackoffice, type Backoffice } from '../backoffice.js';
import { isBackofficeError } from '../errors.js';

/**
 * The back office on the real PostgreSQL schema of this vitest worker, billing on a movable clock,
 * and a YooKassa emulator that really takes payments and refunds them.
 */
export interface BackofficeHarness {
  db: TestDatabase;
  billing: Billing;
  backoffice: Backoffice;
  payments: PaymentProviders;
  yookassa: YooKassaEmulator;
  wata: WataEmulator;
  clock: { now(): Date; advanceDays(d: number): void };
  /** A staff member with `role` (a new admins row) as an actor. */
  actor(role: AdminRole): Promise<Actor>;
  customer(overrides?: Parameters<typeof makeUser>[1]): Promise<User>;
  plan(overrides?: Parameters<typeof makePlan>[1]): Promise<Plan>;
  /** The customer buys `plan` through YooKassa (or WATA) and the payment is settled, as a real purchase is. */
  purchase(user: User, plan: Plan, provider?: 'yookassa' | 'wata'): Promise<Payment>;
  /** Outbox rows added since the previous call, oldest first. */
  drainOutbox(): Promise<OutboxMessage[]>;
}

export async function createBackofficeHarness(): Promise<BackofficeHarness> {
  const db = await createTestDatabase();
  const logger = silentLogger();
  let now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = { now: () => now, advanceDays: (d: number) => void (now = new Date(now.getTime() + d * 86_400_000)) };
  const yookassa = await createYooKassaEmulator({ retryDelaysMs: [] });
  const wata = await createWataEmulator({ retryDelaysMs: [] });
  const payments = createPaymentProviders(
    {
      PAYMENT_PROVIDERS: ['yookassa', 'cryptopay', 'stars', 'wata'],
      WATA_TOKEN: wata.token,
      WATA_API_URL: wata.apiUrl,
      YOOKASSA_SHOP_ID: yookassa.shopId,
      YOOKASSA_SECRET_KEY: yookassa.secretKey,
      YOOKASSA_API_URL: yookassa.apiUrl,
      YOOKASSA_RECEIPT_EMAIL: 'receipts@example.test',
      // Never called: Crypto Pay has no refund API, which is what the tests need of it.
      CRYPTOPAY_TOKEN: '1234:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      CRYPTOPAY_API_URL: 'http://127.0.0.1:1/api',
    },
    { logger },
  );
  const billing = createBilling({ db, logger, clock: clock.now, settingsTtlMs: 0 });
  const backoffice = createBackoffice({ db, billing, payments, logger, clock: clock.now });
  return {
    db,
    billing,
    backoffice,
    payments,
    yookassa,
    wata,
    clock,
    async actor(role) {
      const admin = await makeAdmin(db.repos, { role });
      return { kind: 'admin', adminId: admin.id, role };
    },
    customer: (overrides) => makeUser(db.repos, overrides),
    plan: (overrides) => makePlan(db.repos, overrides),
    purchase: (user, plan, provider = 'yookassa') =>
      provider === 'wata'
        ? purchaseWith({ billing, payments }, { provider, pay: (id) => void wata.pay(id) }, user, plan.id)
        : purchaseWithYooKassa({ billing, payments, yookassa }, user, plan.id),
    async drainOutbox() {
      return (await db.repos.outbox.claim({ limit: 1_000, leaseMs: 3_600_000 })).sort((a, b) => a.id - b.id);
    },
  };
}

/**
 * A customer's purchase of a plan through a provider's emulator, settled as a real one is: the
 * pending payment, the provider's payment, the customer paying (`pay`), settlement. For tests of
 * staff actions on money (the back office, the admin bot).
 */
export async function purchaseWith(
  deps: { billing: Billing; payments: PaymentProviders },
  via: { provider: 'yookassa' | 'wata'; pay: (externalId: string) => void },
  user: Pick<User, 'id' | 'telegramId'>,
  planId: number,
): Promise<Payment> {
  const { billing, payments } = deps;
  const { payment } = await billing.ledger.createPendingPayment({
    userId: user.id,
    planId,
    provider: via.provider,
    idempotencyKey: randomUUID(),
  });
  const created = await payments.get(via.provider).createPayment({
    paymentId: payment.id,
    idempotencyKey: payment.id,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    description: `plan ${planId}`,
    customer: { telegramId: user.telegramId },
    returnUrl: 'https://t.me/vpn_test_bot',
  });
  await billing.ledger.attachExternal(payment.id, { externalId: created.externalId });
  via.pay(created.externalId);
  const settled = await billing.settlement.settlePayment({
    paymentId: payment.id,
    providerStatus: 'succeeded',
    amountMinor: payment.amountMinor,
    currency: payment.currency,
  });
  return settled.payment;
}

/** {@link purchaseWith} YooKassa. */
export async function purchaseWithYooKassa(
  deps: { billing: Billing; payments: PaymentProviders; yookassa: YooKassaEmulator },
  user: Pick<User, 'id' | 'telegramId'>,
  planId: number,
): Promise<Payment> {
  return purchaseWith(deps, { provider: 'yookassa', pay: (id) => void deps.yookassa.pay(id) }, user, planId);
}

/** Registers the hooks of one test file: the harness once, empty tables before each test. */
export function useBackofficeHarness(): BackofficeHarness {
  const h = {} as BackofficeHarness;
  beforeAll(async () => {
    Object.assign(h, await createBackofficeHarness());
  });
  beforeEach(async () => {
    await h.db.truncateAll();
  });
  afterAll(async () => {
    await h.yookassa.close();
    await h.wata.close();
    await h.db.close();
  });
  return h;
}

/** The BackofficeError code (and field) a promise rejects with; `resolved` if it does not. */
export function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (e: unknown) => (isBackofficeError(e) ? (e.field ? `${e.code}:${e.field}` : e.code) : String(e)),
  );
}

/** A fresh request id (a confirmation button's nonce). */
export const newRequestId = (): string => randomUUID().replace(/-/g, '').slice(0, 16);
