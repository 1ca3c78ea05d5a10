import type { Logger } from '@vpn/logger';
import { createCryptoPayProvider, createYooKassaProvider, type PaymentProvider } from '@vpn/payments';
import type { WebhooksConfig } from './config.js';

/**
 * The payment adapters this process verifies notifications with: those listed in
 * PAYMENT_PROVIDERS whose credentials are configured. A listed provider without credentials is
 * logged and left out (its route answers 404) rather than failing the whole service.
 */
export function buildProviders(config: WebhooksConfig, logger: Logger): Map<string, PaymentProvider> {
  const providers = new Map<string, PaymentProvider>();
  const enabled = new Set(config.PAYMENT_PROVIDERS);
  const missing = (name: string, keys: string) => logger.warn({ provider: name }, `${name} is enabled but ${keys} is not set; its webhook is off`);
  if (enabled.has('yookassa')) {
    if (config.YOOKASSA_SHOP_ID && config.YOOKASSA_SECRET_KEY) {
      providers.set('yookassa', createYooKassaProvider({ shopId: config.YOOKASSA_SHOP_ID, secretKey: config.YOOKASSA_SECRET_KEY, apiUrl: config.YOOKASSA_API_URL, logger }));
    } else missing('yookassa', 'YOOKASSA_SHOP_ID/YOOKASSA_SECRET_KEY');
  }
  if (enabled.has('cryptopay')) {
    if (config.CRYPTOPAY_TOKEN) providers.set('cryptopay', createCryptoPayProvider({ token: config.CRYPTOPAY_TOKEN, apiUrl: config.CRYPTOPAY_API_URL, logger }));
    else missing('cryptopay', 'CRYPTOPAY_TOKEN');
  }
  return providers;
}
