import { afterAll, beforeAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createBilling, type Billing } from '@vpn/billing';
import { loadConfig, redisSchema } from '@vpn/config';
import type { Plan, User } from '@vpn/db';
import { createTestDatabase, makePlan, makeUser, type TestDatabase } from '@vpn/db/testing';
import { createI18n } from '@vpn/i18n';
import { silentLogger, type Logger } from '@vpn/logger';
import { createPaymentProviders, type CreatedPayment, type PaymentProviders, type ProviderName } from '@vpn/payments';
import {
  createCryptoPayEmulator,
  createWataEmulator,
  createYooKassaEmulator,
  type CryptoPayEmulator,
  type WataEmulator,
  type YooKassaEmulator,
} from '@vpn/payments/testing';
import { createProducers, type Producers } from '@vpn/queues';
import { createTestQueueFactory, type TestQueueFactory } from '@vpn/queues/testing';
import { botIdOf, createApi, createSendLimiter } from '@vpn/telegram-kit';
import { createEmulator, type Emulator } from '@vpn/telegram-emulator';
import { createBreakerRegistry, createProvisioningService, createServerPool } from '@vpn/vpn';
import { createMarzbanEmulator, marzbanServerRow, type MarzbanEmulator } from '@vpn/vpn/testing';
import type { WorkerDeps, WorkerOptions } from '../deps.js';
import { createVpnProvisioner } from '../vpn/vpn-provisioner.js';
import { createWorker, type Worker } from '../worker.js';

export const CLIENT_BOT_TOKEN = '7000000001:AAworker-harness-client-bot-token';
/** The admin bot: where broadcasts' photos and videos were sent. */
export const ADMIN_BOT_TOKEN = '7000000003:AAworker-harness-admin-bot-token0';

/**
 * Everything the worker talks to, real where it is ours (PostgreSQL schema of this vitest worker,
 * Redis under a prefix of its own) and emulated where it is the outside world (Telegram, Crypto
 * Pay, YooKassa, a Marzban panel), plus helpers to make customers and payments.
 */
export interface WorkerHarness {
  db: TestDatabase;
  queues: TestQueueFactory;
  producers: Producers;
  billing: Billing;
  telegram: Emulator;
  cryptoPay: CryptoPayEmulator;
  yookassa: YooKassaEmulator;
  wata: WataEmulator;
  panel: MarzbanEmulator;
  payments: PaymentProviders;
  deps: WorkerDeps;
  /** A worker on these deps (several may run at once: replicas). */
  startWorker(options?: Partial<WorkerOptions>, extra?: Partial<WorkerDeps>): Promise<Worker>;
  /** A customer who has opened the client bot (so it may write to them) and a database user for them. */
  customer(): Promise<User>;
  plan(overrides?: Parameters<typeof makePlan>[1]): Promise<Plan>;
  /** A pending Crypto Pay payment for `plan` created through billing, with its invoice. */
  cryptoCheckout(user: User, plan: Plan): Promise<{ paymentId: string; invoiceId: string }>;
  /**
   * A pending payment with `provider`, made as the client bot's checkout makes it: billing's
   * payment, the provider's payment (or Stars invoice), and the provider's id recorded.
   */
  checkout(
    user: User,
    plan: Plan,
    provider: ProviderName,
    promoCode?: string,
  ): Promise<{ paymentId: string; externalId: string; created: CreatedPayment }>;
  /** Messages the client bot sent `user`. */
  messagesTo(user: User): Promise<string[]>;
  /** Waits until `check` returns true (polling), or fails after `timeoutMs`. */
  until(check: () => Promise<boolean>, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWorkerHarness(options: { logger?: Logger } = {}): Promise<WorkerHarness> {
  const logger = options.logger ?? silentLogger();
  const { REDIS_URL } = loadConfig(redisSchema);
  const db = await createTestDatabase();
  const queues = createTestQueueFactory(REDIS_URL);
  const producers = createProducers(queues);
  const billing = createBilling({ db, logger, settingsTtlMs: 0 });
  const telegram = await createEmulator({
    rateLimits: false,
    bots: [
      { token: CLIENT_BOT_TOKEN, username: 'vpn_client_bot' },
      { token: ADMIN_BOT_TOKEN, username: 'vpn_admin_bot' },
    ],
  });
  const cryptoPay = await createCryptoPayEmulator({ retryDelaysMs: [] });
  const yookassa = await createYooKassaEmulator({ retryDelaysMs: [] });
  const wata = await createWataEmulator({ retryDelaysMs: [] });
  const panel = await createMarzbanEmulator();
  await db.repos.servers.create({ name: 'nl-1', countryCode: 'NL', ...marzbanServerRow(panel) });
  const clientApi = createApi(CLIENT_BOT_TOKEN, { apiRoot: telegram.apiRoot, networkRetries: 0 });
  // Broadcasts: the shared limiter under this file's Redis prefix, at the production default rate.
  const broadcasts = {
    bulkApi: createApi(CLIENT_BOT_TOKEN, { apiRoot: telegram.apiRoot, networkRetries: 0, maxRetryAttempts: 0 }),
    sendLimiter: createSendLimiter(queues.redis, `${queues.prefix}:`, { globalPerSecond: 25, chatPerSecond: 1, paidPerSecond: 1_000 }),
    botId: botIdOf(CLIENT_BOT_TOKEN),
    mediaSource: { api: createApi(ADMIN_BOT_TOKEN, { apiRoot: telegram.apiRoot, networkRetries: 0 }), apiRoot: telegram.apiRoot },
  };
  const payments = createPaymentProviders(
    {
      PAYMENT_PROVIDERS: ['cryptopay', 'yookassa', 'stars', 'wata'],
      CRYPTOPAY_TOKEN: cryptoPay.token,
      CRYPTOPAY_API_URL: cryptoPay.apiUrl,
      YOOKASSA_SHOP_ID: yookassa.shopId,
      YOOKASSA_SECRET_KEY: yookassa.secretKey,
      YOOKASSA_API_URL: yookassa.apiUrl,
      YOOKASSA_RECEIPT_EMAIL: 'receipts@vpn.example',
      WATA_TOKEN: wata.token,
      WATA_API_URL: wata.apiUrl,
    },
    { starsBotApi: clientApi },
  );
  const pool = createServerPool({
    servers: db.repos.servers,
    retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
    breakers: createBreakerRegistry({ failureThreshold: 3, cooldownMs: 200 }),
  });
  const provisioning = createProvisioningService({ db, pool });
  const deps: WorkerDeps = {
    logger,
    db,
    billing,
    queues,
    producers,
    payments,
    provisioner: createVpnProvisioner(provisioning, db),
    clientApi,
    i18n: createI18n(),
    broadcasts,
  };
  const workers: Worker[] = [];

  const until: WorkerHarness['until'] = async (check, timeoutMs = 10_000, what = 'condition') => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const checkout: WorkerHarness['checkout'] = async (user, plan, provider, promoCode) => {
    const { payment } = await billing.ledger.createPendingPayment({
      userId: user.id,
      planId: plan.id,
      provider,
      idempotencyKey: randomUUID(),
      promoCode,
      saveCard: true,
    });
    const created = await payments.get(provider).createPayment({
      paymentId: payment.id,
      idempotencyKey: payment.id,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      description: 'VPN',
      customer: { telegramId: user.telegramId },
      returnUrl: 'https://t.me/vpn_client_bot',
    });
    await billing.ledger.attachExternal(payment.id, { externalId: created.externalId, confirmationUrl: created.confirmationUrl ?? null });
    return { paymentId: payment.id, externalId: created.externalId, created };
  };

  return {
    db,
    queues,
    producers,
    billing,
    telegram,
    cryptoPay,
    yookassa,
    wata,
    panel,
    payments,
    deps,
    until,
    async startWorker(o = {}, extra = {}) {
      // A replica: its own connections on the same queues, as another process would have.
      const own = createTestQueueFactory(REDIS_URL, { prefix: queues.prefix });
      const worker = createWorker(
        { ...deps, queues: own, producers: createProducers(own), ...extra },
        { concurrency: 4, schedules: false, pollAfterMinutes: 10, outboxEveryMs: 1_000, ...o },
      );
      await worker.start();
      workers.push(worker);
      return worker;
    },
    async customer() {
      const tg = await telegram.client.createUser({ firstName: 'Ivan', languageCode: 'ru' });
      await telegram.client.start({ from: tg.id, bot: 'vpn_client_bot' });
      return makeUser(db.repos, { telegramId: tg.id, languageCode: 'ru' });
    },
    plan: (overrides) => makePlan(db.repos, overrides),
    checkout,
    async cryptoCheckout(user, plan) {
      const { paymentId, externalId } = await checkout(user, plan, 'cryptopay');
      return { paymentId, invoiceId: externalId };
    },
    async messagesTo(user) {
      const messages = await telegram.client.getMessages({ chatId: user.telegramId, bot: 'vpn_client_bot' });
      // Config notifications are photos or documents: their caption is the text.
      return messages.map((m) => m.text ?? m.caption ?? '');
    },
    async close() {
      await Promise.allSettled(workers.map((w) => w.close()));
      await queues.cleanup();
      await Promise.allSettled([telegram.close(), cryptoPay.close(), yookassa.close(), wata.close(), panel.close()]);
      await db.close();
    },
  };
}

/**
 * Stores a verified success notification exactly as the webhooks service does (payment_events,
 * normalised notification + raw) and enqueues its settlement.
 */
export async function storePaidNotification(
  h: WorkerHarness,
  input: { provider: ProviderName; paymentId: string; externalId: string; eventId: string },
  claimed: { amountMinor?: number; currency?: string } = {},
): Promise<number> {
  const payment = await h.db.repos.payments.get(input.paymentId);
  if (!payment) throw new Error(`no payment ${input.paymentId}`);
  const notification = {
    ...input,
    status: 'succeeded',
    amountMinor: claimed.amountMinor ?? payment.amountMinor,
    currency: claimed.currency ?? payment.currency,
    occurredAt: new Date().toISOString(),
  };
  const { event } = await h.db.repos.paymentEvents.insertOnce({
    provider: input.provider,
    providerEventId: input.eventId,
    kind: 'payment.succeeded',
    rawPayload: { notification, raw: {} },
    paymentId: input.paymentId,
  });
  await h.producers.settlement.add({ paymentEventId: event.id });
  return event.id;
}

/** A Crypto Pay `invoice_paid` for the invoice, stored and settled (see {@link storePaidNotification}). */
export async function storePaidInvoice(
  h: WorkerHarness,
  paymentId: string,
  invoiceId: string,
  eventId = `invoice_paid:${invoiceId}`,
  claimed: { amountMinor?: number; currency?: string } = {},
): Promise<number> {
  return storePaidNotification(h, { provider: 'cryptopay', paymentId, externalId: invoiceId, eventId }, claimed);
}

/**
 * Registers one test file's hooks: the harness built once with `replicas` workers running on it
 * (several = several worker processes on the same queues), and closed at the end.
 */
export function useWorkerHarness(options: { replicas?: number } = {}): WorkerHarness {
  const h = {} as WorkerHarness;
  beforeAll(async () => {
    Object.assign(h, await startWorkerHarness());
    for (let i = 0; i < (options.replicas ?? 1); i++) await h.startWorker();
  });
  afterAll(() => h.close());
  return h;
}
