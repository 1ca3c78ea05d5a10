import { randomBytes } from 'node:crypto';
import { baseSchema, databaseSchema, loadConfig, redisSchema, z } from '@vpn/config';
import { createDatabase, ensureDatabase, type Database } from '@vpn/db';
import { cryptoPaySignature, CRYPTOPAY_SIGNATURE_HEADER } from '@vpn/payments';
import type { Shot } from './load.js';

export const benchConfig = () => loadConfig(z.object({ ...baseSchema.shape, ...databaseSchema.shape, ...redisSchema.shape }));

/** A fresh, migrated schema of its own (dropped by `drop`), so a bench never touches real data. */
export async function openBenchDatabase(
  label: string,
  poolMax = 16,
): Promise<{ db: Database; url: string; schema: string; key: string; drop(): Promise<void> }> {
  const { DATABASE_URL } = benchConfig();
  const schema = `bench_${label}_${Date.now().toString(36)}`;
  const key = randomBytes(32).toString('hex');
  await ensureDatabase(DATABASE_URL);
  const db = createDatabase({ url: DATABASE_URL, schema, poolMax, encryptionKey: key });
  await db.migrator().up();
  return {
    db,
    url: DATABASE_URL,
    schema,
    key,
    async drop() {
      await db.sequelize.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
    },
  };
}

/** One pending Crypto Pay payment of ours and the invoice behind it. */
export interface BenchPayment {
  paymentId: string;
  invoiceId: number;
  userId: number;
  telegramId: number;
  amountMinor: number;
}

/** Runs `fn` for 0..n-1 on `concurrency` loops. */
export async function forEach(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** `n` customers with a pending 199.00 RUB payment each (a 30-day plan), as checkout leaves them. */
export async function makePendingPayments(db: Database, n: number, telegramIds?: readonly number[]): Promise<BenchPayment[]> {
  const plan = await db.repos.plans.create({
    code: `bench_${Date.now().toString(36)}`,
    title: { ru: 'Бенч', en: 'Bench' },
    durationDays: 30,
    priceMinor: 19_900,
    currency: 'RUB',
  });
  const out: BenchPayment[] = new Array<BenchPayment>(n);
  await forEach(n, 16, async (i) => {
    const telegramId = telegramIds?.[i] ?? 8_000_000_000 + i;
    const { user } = await db.repos.users.upsertFromTelegram({ telegramId, firstName: `Bench ${i}`, languageCode: 'ru' }, {});
    const invoiceId = 1_000_000 + i;
    const { payment } = await db.repos.payments.create({
      userId: user.id,
      provider: 'cryptopay',
      idempotencyKey: `bench-${i}-${telegramId}`,
      amountMinor: plan.priceMinor,
      currency: 'RUB',
      planId: plan.id,
    });
    await db.repos.payments.attachExternal(payment.id, { externalId: String(invoiceId) });
    out[i] = { paymentId: payment.id, invoiceId, userId: user.id, telegramId, amountMinor: plan.priceMinor };
  });
  return out;
}

/** The `invoice_paid` update Crypto Pay would POST for `p`, signed with the app token. */
export function paidUpdate(token: string, p: BenchPayment, updateId: number): Shot {
  const now = new Date().toISOString();
  const body = JSON.stringify({
    update_id: updateId,
    update_type: 'invoice_paid',
    request_date: now,
    payload: {
      invoice_id: p.invoiceId,
      hash: `IV${p.invoiceId}`,
      currency_type: 'fiat',
      fiat: 'RUB',
      amount: (p.amountMinor / 100).toFixed(2),
      paid_asset: 'USDT',
      paid_amount: '2.15',
      status: 'paid',
      created_at: now,
      paid_at: now,
      payload: p.paymentId,
      bot_invoice_url: `https://t.me/CryptoBot?start=IV${p.invoiceId}`,
      allow_comments: true,
      allow_anonymous: true,
    },
  });
  return { body, headers: { [CRYPTOPAY_SIGNATURE_HEADER]: cryptoPaySignature(token, body) } };
}

/** A Crypto Pay app token in the format the adapter expects. */
export const benchToken = () => `${100000 + Math.floor(Math.random() * 800000)}:AA${randomBytes(24).toString('hex').slice(0, 33)}`;

/** The environment of the webhooks and worker processes a bench starts: its own schema, queue prefix and Crypto Pay token. */
export function benchServiceEnv(
  bench: { url: string; schema: string; key: string },
  queuePrefix: string,
  token: string,
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: bench.url,
    DATABASE_SCHEMA: bench.schema,
    REDIS_URL: benchConfig().REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    ENCRYPTION_KEY: bench.key,
    PAYMENT_PROVIDERS: 'cryptopay',
    CRYPTOPAY_TOKEN: token,
    // Never called: the benches only receive notifications.
    CRYPTOPAY_API_URL: 'http://127.0.0.1:9/api',
  };
}
