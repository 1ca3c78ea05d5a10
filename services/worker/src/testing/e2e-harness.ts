import { afterAll, beforeAll } from 'vitest';
import { loadConfig, redisSchema } from '@vpn/config';
import type { Plan, User } from '@vpn/db';
import { createTestDatabase, makePlan, makeUser, TEST_ENCRYPTION_KEY, type TestDatabase } from '@vpn/db/testing';
import { createWataProvider } from '@vpn/payments';
import { createCryptoPayEmulator, createWataEmulator, type CryptoPayEmulator, type WataEmulator } from '@vpn/payments/testing';
import { deleteKeys, testQueuePrefix } from '@vpn/queues/testing';
import { createEmulator, type Emulator } from '@vpn/telegram-emulator';
import { createMarzbanEmulator, marzbanServerRow, type MarzbanEmulator } from '@vpn/vpn/testing';
import { startService, type ServiceProcess } from './processes.js';

const TOKEN = '7000000002:AAe2e-client-bot-token-for-tests';
const BOT = 'vpn_e2e_bot';

/**
 * The platform's money path as separate processes: `services/webhooks` and `services/worker`
 * started with tsx on this vitest worker's PostgreSQL schema and a queue prefix of their own,
 * with Telegram, Crypto Pay and a Marzban panel emulated in the test process.
 */
export interface E2eHarness {
  db: TestDatabase;
  telegram: Emulator;
  cryptoPay: CryptoPayEmulator;
  wata: WataEmulator;
  panel: MarzbanEmulator;
  webhooks: ServiceProcess;
  webhooksUrl: string;
  /** Starts a worker process (`WORKER_CRASH_AT` and friends via `env`); waits until it is taking jobs. */
  startWorker(env?: Record<string, string>): Promise<ServiceProcess>;
  customer(): Promise<User>;
  plan(): Promise<Plan>;
  /** A pending Crypto Pay payment, created the way the client bot does (row, invoice, external id). */
  checkout(user: User, plan: Plan): Promise<{ paymentId: string; invoiceId: string }>;
  /** A pending WATA payment with its payment link (order id = our payment id), made as the client bot makes it. */
  wataCheckout(user: User, plan: Plan): Promise<{ paymentId: string; url: string }>;
  messagesTo(user: User): Promise<string[]>;
  until(check: () => Promise<boolean>, timeoutMs?: number, what?: string): Promise<void>;
}

export function useE2eHarness(): E2eHarness {
  const h = {} as E2eHarness;
  const processes: ServiceProcess[] = [];
  const prefix = testQueuePrefix('e2e');
  const { REDIS_URL } = loadConfig(redisSchema);
  let closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    const db = await createTestDatabase();
    const telegram = await createEmulator({ rateLimits: false, bots: [{ token: TOKEN, username: BOT }] });
    const cryptoPay = await createCryptoPayEmulator({ retryDelaysMs: [100, 500, 1_000] });
    const wata = await createWataEmulator({ retryDelaysMs: [100, 500, 1_000] });
    const panel = await createMarzbanEmulator();
    await db.repos.servers.create({ name: 'nl-e2e', countryCode: 'NL', ...marzbanServerRow(panel) });
    closers = [() => telegram.close(), () => cryptoPay.close(), () => wata.close(), () => panel.close(), () => db.close()];
    const env: Record<string, string> = {
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      DATABASE_POOL_MAX: '10',
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      PAYMENT_PROVIDERS: 'cryptopay,wata',
      CRYPTOPAY_TOKEN: cryptoPay.token,
      CRYPTOPAY_API_URL: cryptoPay.apiUrl,
      WATA_TOKEN: wata.token,
      WATA_API_URL: wata.apiUrl,
      LOG_LEVEL: 'info',
    };
    const webhooks = startService('webhooks', { ...env, WEBHOOKS_PORT: '0', WEBHOOKS_HOST: '127.0.0.1' });
    processes.push(webhooks);
    const listening = await webhooks.waitForLine((l) => l.msg === 'webhooks listening');
    const webhooksUrl = `http://127.0.0.1:${String(listening.port)}`;
    cryptoPay.setWebhookUrl(`${webhooksUrl}/webhooks/cryptopay`);
    wata.setWebhookUrl(`${webhooksUrl}/webhooks/wata`);
    const wataProvider = createWataProvider({ token: wata.token, apiUrl: wata.apiUrl });

    Object.assign(h, {
      db,
      telegram,
      cryptoPay,
      wata,
      panel,
      webhooks,
      webhooksUrl,
      async startWorker(extra: Record<string, string> = {}) {
        const worker = startService('worker', {
          ...env,
          CLIENT_BOT_TOKEN: TOKEN,
          TELEGRAM_API_ROOT: telegram.apiRoot,
          WORKER_SCHEDULES: 'true',
          OUTBOX_DISPATCH_EVERY_MS: '500',
          QUEUE_BACKOFF_SCALE: '0.01',
          // A killed worker's job is taken over quickly.
          QUEUE_LOCK_DURATION_MS: '1500',
          QUEUE_STALLED_INTERVAL_MS: '1000',
          ...extra,
        });
        processes.push(worker);
        await worker.waitForLine((l) => l.msg === 'worker started');
        return worker;
      },
      async customer() {
        const tg = await telegram.client.createUser({ firstName: 'Anna', languageCode: 'ru' });
        await telegram.client.start({ from: tg.id, bot: BOT });
        return makeUser(db.repos, { telegramId: tg.id, languageCode: 'ru' });
      },
      plan: () => makePlan(db.repos, { durationDays: 30 }),
      async checkout(user: User, plan: Plan) {
        const { payment } = await db.repos.payments.create({
          userId: user.id,
          planId: plan.id,
          provider: 'cryptopay',
          idempotencyKey: `e2e-${user.id}-${Date.now()}`,
          amountMinor: plan.priceMinor,
          currency: plan.currency,
        });
        const invoice = await fetch(`${cryptoPay.apiUrl}/createInvoice`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'crypto-pay-api-token': cryptoPay.token },
          body: JSON.stringify({
            currency_type: 'fiat',
            fiat: plan.currency,
            amount: (plan.priceMinor / 100).toFixed(2),
            payload: payment.id,
            description: 'VPN',
          }),
        }).then((r) => r.json() as Promise<{ result: { invoice_id: number } }>);
        const invoiceId = String(invoice.result.invoice_id);
        await db.repos.payments.attachExternal(payment.id, { externalId: invoiceId });
        return { paymentId: payment.id, invoiceId };
      },
      async wataCheckout(user: User, plan: Plan) {
        const { payment } = await db.repos.payments.create({
          userId: user.id,
          planId: plan.id,
          provider: 'wata',
          idempotencyKey: `e2e-wata-${user.id}-${Date.now()}`,
          amountMinor: plan.priceMinor,
          currency: plan.currency,
        });
        const link = await wataProvider.createPayment({
          paymentId: payment.id,
          idempotencyKey: payment.id,
          amountMinor: plan.priceMinor,
          currency: plan.currency,
          description: 'VPN',
          customer: { telegramId: user.telegramId },
          returnUrl: `https://t.me/${BOT}`,
        });
        await db.repos.payments.attachExternal(payment.id, { externalId: link.externalId, confirmationUrl: link.confirmationUrl ?? null });
        return { paymentId: payment.id, url: link.confirmationUrl ?? '' };
      },
      async messagesTo(user: User) {
        return (await telegram.client.getMessages({ chatId: user.telegramId, bot: BOT })).map((m) => m.text ?? m.caption ?? '');
      },
      async until(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition') {
        const deadline = Date.now() + timeoutMs;
        while (!(await check())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
    } satisfies E2eHarness);
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled(processes.map((p) => p.stop()));
    for (const close of closers) await close().catch(() => undefined);
    await deleteKeys(REDIS_URL, prefix);
  });
  return h;
}
