import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentError } from './provider.js';
import { createPaymentProviders, type PaymentsConfig } from './registry.js';
import {
  createCryptoPayEmulator,
  createHeleketEmulator,
  createPlategaEmulator,
  createWataEmulator,
  createXRocketEmulator,
  createYooKassaEmulator,
} from './testing/index.js';

type Closeable = { close(): Promise<void> };
const emulators: Closeable[] = [];
let right: PaymentsConfig;

beforeAll(async () => {
  const start = async <T extends Closeable>(make: Promise<T>): Promise<T> => {
    const emu = await make;
    emulators.push(emu);
    return emu;
  };
  const yookassa = await start(createYooKassaEmulator());
  const cryptopay = await start(createCryptoPayEmulator());
  const wata = await start(createWataEmulator());
  const heleket = await start(createHeleketEmulator());
  const platega = await start(createPlategaEmulator());
  const xrocket = await start(createXRocketEmulator());
  right = {
    PAYMENT_PROVIDERS: ['yookassa', 'cryptopay', 'wata', 'heleket', 'platega', 'xrocket'],
    PAYMENT_HTTP_TIMEOUT_MS: 2_000,
    YOOKASSA_SHOP_ID: yookassa.shopId,
    YOOKASSA_SECRET_KEY: yookassa.secretKey,
    YOOKASSA_API_URL: yookassa.apiUrl,
    CRYPTOPAY_TOKEN: cryptopay.token,
    CRYPTOPAY_API_URL: cryptopay.apiUrl,
    WATA_TOKEN: wata.token,
    WATA_API_URL: wata.apiUrl,
    HELEKET_MERCHANT_ID: heleket.merchantId,
    HELEKET_PAYMENT_KEY: heleket.paymentKey,
    HELEKET_API_URL: heleket.apiUrl,
    PLATEGA_MERCHANT_ID: platega.merchantId,
    PLATEGA_SECRET: platega.secret,
    PLATEGA_API_URL: platega.apiUrl,
    XROCKET_TOKEN: xrocket.token,
    XROCKET_API_URL: xrocket.apiUrl,
    XROCKET_RATE: 95,
  };
});
afterAll(() => Promise.all(emulators.map((e) => e.close())));

/** `checkCredentials`, the read-only keys check `pnpm ops:check` runs per provider. */
describe('checkCredentials', () => {
  it('accepts the right keys of every provider that has a read-only call, creating nothing', async () => {
    const providers = createPaymentProviders(right);
    for (const provider of providers.list()) await expect(provider.checkCredentials!(), provider.name).resolves.toMatch(/accepted|app "/);
  });

  it('tells refused keys (not_configured) from an unknown payment', async () => {
    const wrong = createPaymentProviders({
      ...right,
      YOOKASSA_SECRET_KEY: 'test_wrong',
      CRYPTOPAY_TOKEN: 'wrong',
      WATA_TOKEN: 'wrong',
      HELEKET_PAYMENT_KEY: 'wrong',
      PLATEGA_SECRET: 'wrong',
      XROCKET_TOKEN: 'wrong',
    });
    for (const provider of wrong.list()) {
      const error = await provider.checkCredentials!().catch((e: unknown) => e);
      expect(error, provider.name).toBeInstanceOf(PaymentError);
      expect((error as PaymentError).code, provider.name).toBe('not_configured');
    }
  });

  it('is absent where the API has none (Sever Pay, Stars)', () => {
    const providers = createPaymentProviders({ PAYMENT_PROVIDERS: ['stars', 'severpay'], SEVERPAY_MID: 1, SEVERPAY_TOKEN: 't' });
    for (const provider of providers.list()) expect(provider.checkCredentials, provider.name).toBeUndefined();
  });
});
