import { randomUUID } from 'node:crypto';
import { loadConfig, redisSchema } from '@vpn/config';
import { createTestDatabase, makeUser, type TestDatabase } from '@vpn/db/testing';
import { silentLogger, type Logger } from '@vpn/logger';
import { createCryptoPayProvider, type PaymentProvider } from '@vpn/payments';
import { createCryptoPayEmulator, type CryptoPayEmulator } from '@vpn/payments/testing';
import { createProducers, type Producers } from '@vpn/queues';
import { createTestQueueFactory, type TestQueueFactory } from '@vpn/queues/testing';
import { createServer, type ServerDeps } from '../app.js';
import { createMetrics, type WebhookMetrics } from '../metrics.js';
import { createDbNotificationStore } from '../notifications/db-notification-store.js';
import { serve, type Served } from './serve.js';

/** The webhooks app on real PostgreSQL (this worker's schema) and Redis (a prefix of its own), fed by the Crypto Pay emulator. */
export interface WebhookHarness {
  db: TestDatabase;
  queues: TestQueueFactory;
  producers: Producers;
  cryptoPay: CryptoPayEmulator;
  provider: PaymentProvider;
  metrics: WebhookMetrics;
  served: Served;
  /** A pending payment of ours with a Crypto Pay invoice behind it (the invoice carries our id). */
  pendingPayment(options?: { amountMinor?: number; currency?: string; invoiceAmountMinor?: number }): Promise<{ paymentId: string; invoiceId: string }>;
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
  const provider = createCryptoPayProvider({ token: cryptoPay.token, apiUrl: cryptoPay.apiUrl, webhookMaxAgeSeconds: 3_600 });
  const metrics = createMetrics({ defaultMetrics: false });
  const app = createServer({
    logger: options.logger ?? silentLogger(),
    metrics,
    providers: new Map([['cryptopay', provider]]),
    store: createDbNotificationStore(db),
    enqueueSettlement: async (id) => {
      await producers.settlement.add({ paymentEventId: id });
    },
    readiness: { postgres: () => db.ping(), redis: () => queues.redis.ping() },
    ...options.overrides,
  });
  const served = await serve(app);
  cryptoPay.setWebhookUrl(`${served.url}/webhooks/cryptopay`);

  return {
    db,
    queues,
    producers,
    cryptoPay,
    provider,
    metrics,
    served,
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
      await cryptoPay.close();
      await served.close();
      await queues.cleanup();
      await db.close();
    },
  };
}
