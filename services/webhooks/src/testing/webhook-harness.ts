import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { loadConfig, redisSchema } from '@vpn/config';
import { createTestDatabase, makeUser, type TestDatabase } from '@vpn/db/testing';
import { silentLogger, type Logger } from '@vpn/logger';
import {
  createCryptoPayProvider,
  createHeleketProvider,
  createPlategaProvider,
  createSeverpayProvider,
  createXRocketProvider,
  createStarsProvider,
  createWataProvider,
  createYooKassaProvider,
  type PaymentProvider,
  type ProviderName,
} from '@vpn/payments';
import {
  createCryptoPayEmulator,
  createHeleketEmulator,
  createPlategaEmulator,
  createSeverpayEmulator,
  createXRocketEmulator,
  createWataEmulator,
  createYooKassaEmulator,
  type CryptoPayEmulator,
  type HeleketEmulator,
  type PlategaEmulator,
  type SeverpayEmulator,
  type XRocketEmulator,
  type WataEmulator,
  type YooKassaEmulator,
} from '@vpn/payments/testing';
import { createProducers, type Producers } from '@vpn/queues';
import { createTestQueueFactory, type TestQueueFactory } from '@vpn/queues/testing';
import { createOpsServer, createServer, type ServerDeps } from '../app.js';
import { createMetrics, type WebhookMetrics } from '../metrics.js';
import { createDbNotificationStore } from '../notifications/db-notification-store.js';
import { createSettlementEnqueuer } from '../notifications/settlement-enqueuer.js';
import { serve, type Served } from './serve.js';

/** A YooKassa notification sender: inside the published ranges, delivered through our trusted proxy. */
export const YOOKASSA_SENDER_IP = '185.71.76.5';
export const STARS_FORWARD_SECRET = 'stars-forward-secret-for-the-harness';
/** Heleket's webhook sender, delivered through our trusted proxy. */
export const HELEKET_SENDER_IP = '31.133.220.8';

/**
 * The webhooks app on real PostgreSQL (this worker's schema) and Redis (a prefix of its own), fed
 * by the Crypto Pay, YooKassa and WATA emulators and by signed Stars forwards, behind one trusted
 * proxy (the client address is the last `X-Forwarded-For` hop, as in production).
 */
export interface WebhookHarness {
  db: TestDatabase;
  queues: TestQueueFactory;
  producers: Producers;
  cryptoPay: CryptoPayEmulator;
  yookassa: YooKassaEmulator;
  wata: WataEmulator;
  /** Sends from HELEKET_SENDER_IP (through the trusted proxy). */
  heleket: HeleketEmulator;
  platega: PlategaEmulator;
  xrocket: XRocketEmulator;
  severpay: SeverpayEmulator;
  /** The Crypto Pay adapter. */
  provider: PaymentProvider;
  providers: Map<ProviderName, PaymentProvider>;
  /** A pending payment of ours with the provider's payment behind it, its id recorded as the client bot records it. */
  checkout(
    provider: ProviderName,
    options?: { amountMinor?: number; currency?: string },
  ): Promise<{ paymentId: string; externalId: string }>;
  metrics: WebhookMetrics;
  served: Served;
  /** The ops port: /healthz, /readyz, /metrics. */
  ops: Served;
  /** A pending payment of ours with a Crypto Pay invoice behind it (the invoice carries our id). */
  pendingPayment(options?: {
    amountMinor?: number;
    currency?: string;
    invoiceAmountMinor?: number;
  }): Promise<{ paymentId: string; invoiceId: string }>;
  /** Rows in payment_events. */
  eventCount(): Promise<number>;
  /** Waiting or delayed settlement jobs. */
  settlementJobs(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startWebhookHarness(options: { logger?: Logger; overrides?: Partial<ServerDeps> } = {}): Promise<WebhookHarness> {
  const { REDIS_URL } = loadConfig(redisSchema);
  const db = await createTestDatabase();
  const queues = createTestQueueFactory(REDIS_URL);
  const producers = createProducers(queues);
  // No emulator retries: each test decides how often a notification is delivered.
  const cryptoPay = await createCryptoPayEmulator({ retryDelaysMs: [] });
  const yookassa = await createYooKassaEmulator({ retryDelaysMs: [], sourceIp: YOOKASSA_SENDER_IP });
  const wata = await createWataEmulator({ retryDelaysMs: [] });
  const heleket = await createHeleketEmulator({ retryDelaysMs: [], sourceIp: HELEKET_SENDER_IP });
  const platega = await createPlategaEmulator({ retryDelaysMs: [] });
  const xrocket = await createXRocketEmulator({ retryDelaysMs: [] });
  const severpay = await createSeverpayEmulator({ retryDelaysMs: [] });
  const provider = createCryptoPayProvider({ token: cryptoPay.token, apiUrl: cryptoPay.apiUrl, webhookMaxAgeSeconds: 3_600 });
  const providers = new Map<ProviderName, PaymentProvider>([
    ['cryptopay', provider],
    // YooKassa's published sender ranges, not the emulator's address: the proxy hop decides.
    [
      'yookassa',
      createYooKassaProvider({
        shopId: yookassa.shopId,
        secretKey: yookassa.secretKey,
        apiUrl: yookassa.apiUrl,
        receipt: { fallbackEmail: 'receipts@vpn.example' },
        timeoutMs: 2_000,
      }),
    ],
    ['wata', createWataProvider({ token: wata.token, apiUrl: wata.apiUrl, publicKeyRefreshMinIntervalMs: 0, timeoutMs: 2_000 })],
    ['stars', createStarsProvider({ forwardSecret: STARS_FORWARD_SECRET })],
    [
      'heleket',
      createHeleketProvider({
        merchantId: heleket.merchantId,
        paymentKey: heleket.paymentKey,
        apiUrl: heleket.apiUrl,
        allowedIps: [HELEKET_SENDER_IP],
        timeoutMs: 2_000,
      }),
    ],
    [
      'platega',
      createPlategaProvider({ merchantId: platega.merchantId, secret: platega.secret, apiUrl: platega.apiUrl, timeoutMs: 2_000 }),
    ],
    ['xrocket', createXRocketProvider({ token: xrocket.token, apiUrl: xrocket.apiUrl, rate: 95, timeoutMs: 2_000 })],
    ['severpay', createSeverpayProvider({ mid: severpay.mid, token: severpay.token, apiUrl: severpay.apiUrl, timeoutMs: 2_000 })],
  ]);
  const metrics = createMetrics({ isolated: true });
  const app = createServer({
    logger: options.logger ?? silentLogger(),
    metrics,
    providers,
    trustProxy: true,
    store: createDbNotificationStore(db),
    enqueueSettlement: createSettlementEnqueuer(producers),
    readiness: { postgres: () => db.ping(), redis: () => queues.redis.ping() },
    ...options.overrides,
  });
  const served = await serve(app);
  const ops = await serve(
    createOpsServer({
      logger: options.logger ?? silentLogger(),
      metrics,
      readiness: { postgres: () => db.ping(), redis: () => queues.redis.ping() },
      ...options.overrides,
    }),
  );
  cryptoPay.setWebhookUrl(`${served.url}/webhooks/cryptopay`);
  yookassa.setWebhookUrl(`${served.url}/webhooks/yookassa`);
  wata.setWebhookUrl(`${served.url}/webhooks/wata`);
  heleket.setWebhookUrl(`${served.url}/webhooks/heleket`);
  platega.setWebhookUrl(`${served.url}/webhooks/platega`);
  xrocket.setWebhookUrl(`${served.url}/webhooks/xrocket`);
  severpay.setWebhookUrl(`${served.url}/webhooks/severpay`);

  return {
    db,
    queues,
    producers,
    cryptoPay,
    yookassa,
    wata,
    heleket,
    platega,
    xrocket,
    severpay,
    provider,
    providers,
    async checkout(name, o = {}) {
      const user = await makeUser(db.repos);
      const amountMinor = o.amountMinor ?? (name === 'stars' ? 150 : 19_900);
      const currency = o.currency ?? (name === 'stars' ? 'XTR' : 'RUB');
      const { payment } = await db.repos.payments.create({
        userId: user.id,
        provider: name,
        idempotencyKey: randomUUID(),
        amountMinor,
        currency,
      });
      const created = await providers.get(name)!.createPayment({
        paymentId: payment.id,
        idempotencyKey: payment.id,
        amountMinor,
        currency,
        description: 'VPN, 30 days',
        customer: { telegramId: user.telegramId },
        returnUrl: 'https://t.me/vpn_bot',
      });
      await db.repos.payments.attachExternal(payment.id, {
        externalId: created.externalId,
        confirmationUrl: created.confirmationUrl ?? null,
      });
      return { paymentId: payment.id, externalId: created.externalId };
    },
    metrics,
    served,
    ops,
    async pendingPayment(o = {}) {
      const user = await makeUser(db.repos);
      const amountMinor = o.amountMinor ?? 19_900;
      const currency = o.currency ?? 'RUB';
      const idempotencyKey = randomUUID();
      const { payment } = await db.repos.payments.create({ userId: user.id, provider: 'cryptopay', idempotencyKey, amountMinor, currency });
      const created = await provider.createPayment({
        paymentId: payment.id,
        idempotencyKey,
        amountMinor: o.invoiceAmountMinor ?? amountMinor,
        currency,
        description: 'VPN, 30 days',
        customer: { telegramId: user.telegramId },
      });
      await db.repos.payments.attachExternal(payment.id, { externalId: created.externalId });
      return { paymentId: payment.id, invoiceId: created.externalId };
    },
    async eventCount() {
      const [rows] = await db.sequelize.query('SELECT count(*)::int AS n FROM payment_events');
      return (rows as Array<{ n: number }>)[0]?.n ?? 0;
    },
    async settlementJobs() {
      const queue = queues.queue(producers.settlement.contract);
      const jobs = await queue.getJobs(['waiting', 'delayed', 'active']);
      return jobs.map((j) => String(j.id));
    },
    async close() {
      await Promise.allSettled([
        cryptoPay.close(),
        yookassa.close(),
        wata.close(),
        heleket.close(),
        platega.close(),
        xrocket.close(),
        severpay.close(),
      ]);
      await served.close();
      await ops.close();
      await queues.cleanup();
      await db.close();
    },
  };
}

/**
 * Registers one test file's hooks: the harness built once (logging to `logger`), and before each
 * test every held notification delivered, the tables emptied, no settlement job left and the
 * recorded log `lines` cleared.
 */
export function useWebhookHarness(options: { logger?: Logger; lines?: unknown[] } = {}): WebhookHarness {
  const h = {} as WebhookHarness;
  beforeAll(async () => {
    Object.assign(h, await startWebhookHarness(options.logger ? { logger: options.logger } : {}));
  });
  beforeEach(async () => {
    for (const emulator of [h.cryptoPay, h.yookassa, h.wata, h.heleket, h.platega, h.xrocket, h.severpay]) {
      await emulator.release();
      await emulator.idle();
    }
    await h.db.truncateAll();
    await h.queues.queue(h.producers.settlement.contract).empty();
    if (options.lines) options.lines.length = 0;
  });
  afterAll(() => h.close());
  return h;
}
