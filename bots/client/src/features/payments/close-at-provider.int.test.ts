import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, redisSchema } from '@vpn/config';
import type { Payment } from '@vpn/db';
import { createPaymentProviders, type PaymentProviders } from '@vpn/payments';
import {
  createCryptoPayEmulator,
  createYooKassaEmulator,
  paymentInput,
  type CryptoPayEmulator,
  type YooKassaEmulator,
} from '@vpn/payments/testing';
import { createProducers, type Producers } from '@vpn/queues';
import { createTestQueueFactory, type TestQueueFactory } from '@vpn/queues/testing';
import { captureLogs } from '@vpn/telegram-kit/testing';
import type { ClientContext } from '../../context.js';
import type { FeatureDeps } from '../feature-deps.js';
import { closeAtProvider } from './close-at-provider.js';

// One behaviour: after a customer cancels, the payment is closed at the provider where that
// exists; a provider that already has the money gets the worker to read it; nothing here throws.
describe('closing a cancelled payment at the provider', () => {
  let cryptoPay: CryptoPayEmulator;
  let yookassa: YooKassaEmulator;
  let queues: TestQueueFactory;
  let producers: Producers;
  let payments: PaymentProviders;
  const { logger, lines } = captureLogs();
  const ctx = { logger } as unknown as ClientContext;
  const deps = () => ({ payments, producers }) as unknown as FeatureDeps;
  const payment = (provider: Payment['provider'], externalId: string | null) =>
    ({ id: `p-${externalId ?? 'none'}`, provider, externalId }) as Payment;
  const polls = async () => (await queues.queue(producers.paymentPoll.contract).getJobs(['waiting', 'delayed'])).map((j) => j.data);

  beforeAll(async () => {
    cryptoPay = await createCryptoPayEmulator({ retryDelaysMs: [] });
    yookassa = await createYooKassaEmulator({ retryDelaysMs: [] });
    queues = createTestQueueFactory(loadConfig(redisSchema).REDIS_URL);
    producers = createProducers(queues);
    payments = createPaymentProviders({
      PAYMENT_PROVIDERS: ['cryptopay', 'yookassa'],
      CRYPTOPAY_TOKEN: cryptoPay.token,
      CRYPTOPAY_API_URL: cryptoPay.apiUrl,
      YOOKASSA_SHOP_ID: yookassa.shopId,
      YOOKASSA_SECRET_KEY: yookassa.secretKey,
      YOOKASSA_API_URL: yookassa.apiUrl,
      YOOKASSA_RECEIPT_EMAIL: 'r@example.test',
    });
  });
  afterAll(async () => {
    await queues.cleanup();
    await Promise.allSettled([cryptoPay.close(), yookassa.close()]);
  });

  it('deletes an unpaid Crypto Pay invoice; a paid one is kept and polled', async () => {
    const unpaid = await payments.get('cryptopay').createPayment(paymentInput());
    await closeAtProvider(ctx, deps(), payment('cryptopay', unpaid.externalId));
    expect(cryptoPay.invoice(unpaid.externalId)).toBeUndefined();
    expect(await polls()).toEqual([]);

    const paid = await payments.get('cryptopay').createPayment(paymentInput());
    cryptoPay.pay(paid.externalId);
    await closeAtProvider(ctx, deps(), payment('cryptopay', paid.externalId));
    expect(cryptoPay.invoice(paid.externalId)?.status).toBe('paid');
    expect(await polls()).toEqual([{ scope: 'payment', paymentId: `p-${paid.externalId}` }]);
  });

  it('asks nothing of a provider that cannot close a payment, and survives one that is down', async () => {
    const created = await payments.get('yookassa').createPayment({ ...paymentInput(), returnUrl: 'https://t.me/vpn_bot' });
    await closeAtProvider(ctx, deps(), payment('yookassa', created.externalId));
    expect((await payments.get('yookassa').getPayment(created.externalId)).status).toBe('pending');

    const doomed = await payments.get('cryptopay').createPayment(paymentInput());
    await cryptoPay.close();
    await expect(closeAtProvider(ctx, deps(), payment('cryptopay', doomed.externalId))).resolves.toBeUndefined();
    expect(lines.filter((l) => l.msg === 'could not close the payment at the provider; it ends on its own')).toHaveLength(1);
  });
});
