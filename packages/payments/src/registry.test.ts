import { describe, expect, it } from 'vitest';
import { PaymentError } from './provider.js';
import { createPaymentProviders, type PaymentsConfig } from './registry.js';
import { createStarsBotApiEmulator } from './testing/index.js';

function errorOf(build: () => unknown): PaymentError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(PaymentError);
    return error as PaymentError;
  }
  throw new Error('expected an error');
}

describe('createPaymentProviders', () => {
  const full: PaymentsConfig = {
    PAYMENT_PROVIDERS: ['yookassa', 'cryptopay', 'stars', 'wata', 'heleket', 'platega', 'xrocket', 'severpay'],
    YOOKASSA_SHOP_ID: '100500',
    YOOKASSA_SECRET_KEY: 'test_x',
    YOOKASSA_ALLOWED_IPS: ['127.0.0.1'],
    CRYPTOPAY_TOKEN: '1:abc',
    WATA_TOKEN: 'jwt',
    HELEKET_MERCHANT_ID: 'merchant-uuid',
    HELEKET_PAYMENT_KEY: 'payment-key',
    PLATEGA_MERCHANT_ID: 'merchant-uuid',
    PLATEGA_SECRET: 'secret',
    XROCKET_TOKEN: 'token',
    XROCKET_RATE: 95,
    SEVERPAY_MID: 1001,
    SEVERPAY_TOKEN: 'token',
  };

  it('builds every enabled provider with its capabilities', () => {
    const providers = createPaymentProviders(full, { starsBotApi: createStarsBotApiEmulator() });
    expect(providers.names).toEqual(['yookassa', 'cryptopay', 'stars', 'wata', 'heleket', 'platega', 'xrocket', 'severpay']);
    expect(providers.list().map((p) => [p.name, p.capabilities.refund, p.capabilities.savedMethods, p.capabilities.cancel])).toEqual([
      ['yookassa', true, true, false],
      ['cryptopay', false, false, true],
      ['stars', true, false, false],
      ['wata', true, false, false],
      ['heleket', false, false, false],
      ['platega', false, false, false],
      ['xrocket', false, false, true],
      ['severpay', false, false, false],
    ]);
    expect(providers.has('wata')).toBe(true);
    expect(providers.get('stars').name).toBe('stars');
  });

  it('says plainly which providers cannot close an unpaid payment, without calling out', async () => {
    const providers = createPaymentProviders(full, { fetch: () => Promise.reject(new Error('no network in this test')) });
    for (const name of ['yookassa', 'stars', 'wata', 'heleket', 'platega', 'severpay'])
      expect(await providers.get(name).cancelPayment('x')).toBe('not_supported');
  });

  it('builds only what is enabled and refuses the rest', () => {
    const providers = createPaymentProviders({ PAYMENT_PROVIDERS: ['stars', 'stars'] });
    expect(providers.names).toEqual(['stars']);
    expect(providers.has('yookassa')).toBe(false);
    expect(errorOf(() => providers.get('yookassa')).code).toBe('not_configured');
  });

  it('lists every unknown name and missing key in one error', () => {
    const error = errorOf(() => createPaymentProviders({ PAYMENT_PROVIDERS: ['yookassa', 'paypal', 'wata'], YOOKASSA_SHOP_ID: '1' }));
    expect(error.code).toBe('not_configured');
    expect(error.message).toContain('YOOKASSA_SECRET_KEY is required when yookassa is enabled');
    expect(error.message).toContain('unknown payment provider "paypal"');
    expect(error.message).toContain('WATA_TOKEN is required when wata is enabled');
  });

  it('refuses a bad YooKassa allow-list at start-up', () => {
    const error = errorOf(() => createPaymentProviders({ ...full, YOOKASSA_ALLOWED_IPS: ['10.0.0.0/40'] }));
    expect(error).toMatchObject({ code: 'not_configured', details: { provider: 'yookassa' } });
  });
});
