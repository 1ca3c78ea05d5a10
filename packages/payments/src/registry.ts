import { silentLogger, type Logger } from '@vpn/logger';
import type { FetchLike } from './http-client.js';
import { PaymentError, type PaymentProvider, type ProviderName } from './provider.js';
import { createCryptoPayProvider } from './providers/cryptopay/cryptopay.adapter.js';
import { createHeleketProvider } from './providers/heleket/heleket.adapter.js';
import { createPlategaProvider } from './providers/platega/platega.adapter.js';
import { createSeverpayProvider } from './providers/severpay/severpay.adapter.js';
import { createXRocketProvider } from './providers/xrocket/xrocket.adapter.js';
import { createStarsProvider, type StarsBotApi } from './providers/stars/stars.adapter.js';
import { createWataProvider } from './providers/wata/wata.adapter.js';
import { createYooKassaProvider } from './providers/yookassa/yookassa.adapter.js';

/**
 * Payment settings, keyed like `paymentsSchema` in @vpn/config so `loadConfig(paymentsSchema)`
 * can be passed as is. It is a plain object on purpose: settings stored in the database can
 * override the environment by building the same object, and nothing here reads `process.env`.
 */
export interface PaymentsConfig {
  /** Enabled providers: yookassa, cryptopay, stars, wata, heleket, platega, xrocket, severpay. */
  PAYMENT_PROVIDERS: readonly string[];
  PAYMENT_HTTP_TIMEOUT_MS?: number;
  PAYMENT_RETURN_URL?: string;
  YOOKASSA_SHOP_ID?: string;
  YOOKASSA_SECRET_KEY?: string;
  YOOKASSA_API_URL?: string;
  YOOKASSA_ALLOWED_IPS?: readonly string[];
  YOOKASSA_RECEIPT_ENABLED?: boolean;
  YOOKASSA_VAT_CODE?: number;
  YOOKASSA_PAYMENT_SUBJECT?: string;
  YOOKASSA_PAYMENT_MODE?: string;
  YOOKASSA_RECEIPT_EMAIL?: string;
  CRYPTOPAY_TOKEN?: string;
  CRYPTOPAY_API_URL?: string;
  CRYPTOPAY_WEBHOOK_MAX_AGE_SECONDS?: number;
  CRYPTOPAY_INVOICE_EXPIRES_IN?: number;
  CRYPTOPAY_ACCEPTED_ASSETS?: string;
  WATA_TOKEN?: string;
  WATA_API_URL?: string;
  WATA_PUBLIC_KEY_URL?: string;
  WATA_LINK_TTL_MINUTES?: number;
  STARS_FORWARD_SECRET?: string;
  HELEKET_MERCHANT_ID?: string;
  HELEKET_PAYMENT_KEY?: string;
  HELEKET_API_URL?: string;
  /** Webhook senders; an empty list turns the address check off. */
  HELEKET_ALLOWED_IPS?: readonly string[];
  HELEKET_CALLBACK_URL?: string;
  HELEKET_INVOICE_LIFETIME_SECONDS?: number;
  PLATEGA_MERCHANT_ID?: string;
  PLATEGA_SECRET?: string;
  PLATEGA_API_URL?: string;
  PLATEGA_PAYMENT_METHOD?: number;
  XROCKET_TOKEN?: string;
  XROCKET_API_URL?: string;
  XROCKET_ASSET?: string;
  XROCKET_RATE?: number;
  XROCKET_DECIMALS?: number;
  XROCKET_INVOICE_EXPIRES_IN?: number;
  SEVERPAY_MID?: number;
  SEVERPAY_TOKEN?: string;
  SEVERPAY_API_URL?: string;
  SEVERPAY_LIFETIME_MINUTES?: number;
}

export interface PaymentProvidersDeps {
  logger?: Logger;
  /** Replaces Node's fetch for every provider (tests, proxies). */
  fetch?: FetchLike;
  /** The client bot's grammY `Api` (or anything with the same methods): Stars refunds and status reads. */
  starsBotApi?: StarsBotApi;
  now?: () => Date;
}

/** The enabled providers of one process. */
export interface PaymentProviders {
  readonly names: readonly ProviderName[];
  has(name: string): name is ProviderName;
  /** The provider by name; PaymentError `not_configured` when it is not enabled. */
  get(name: string): PaymentProvider;
  list(): PaymentProvider[];
}

export const PROVIDER_NAMES = [
  'yookassa',
  'cryptopay',
  'stars',
  'wata',
  'heleket',
  'platega',
  'xrocket',
  'severpay',
] as const satisfies readonly ProviderName[];

const REQUIRED: Record<ProviderName, ReadonlyArray<keyof PaymentsConfig>> = {
  yookassa: ['YOOKASSA_SHOP_ID', 'YOOKASSA_SECRET_KEY'],
  cryptopay: ['CRYPTOPAY_TOKEN'],
  stars: [],
  wata: ['WATA_TOKEN'],
  heleket: ['HELEKET_MERCHANT_ID', 'HELEKET_PAYMENT_KEY'],
  platega: ['PLATEGA_MERCHANT_ID', 'PLATEGA_SECRET'],
  xrocket: ['XROCKET_TOKEN', 'XROCKET_RATE'],
  severpay: ['SEVERPAY_MID', 'SEVERPAY_TOKEN'],
};

const isProviderName = (name: string): name is ProviderName => (PROVIDER_NAMES as readonly string[]).includes(name);

/** Checks the enabled list and the keys each enabled provider needs; one error lists every problem. */
function enabledNames(config: PaymentsConfig): ProviderName[] {
  const problems: string[] = [];
  const names = [...new Set(config.PAYMENT_PROVIDERS.map((n) => n.trim()).filter(Boolean))];
  for (const name of names) {
    if (!isProviderName(name)) {
      problems.push(`unknown payment provider "${name}" (known: ${PROVIDER_NAMES.join(', ')})`);
      continue;
    }
    for (const key of REQUIRED[name]) if (!config[key]) problems.push(`${key} is required when ${name} is enabled`);
  }
  if (problems.length > 0) throw new PaymentError('not_configured', `payment providers misconfigured: ${problems.join('; ')}`);
  return names.filter(isProviderName);
}

function build(name: ProviderName, config: PaymentsConfig, deps: PaymentProvidersDeps, logger: Logger): PaymentProvider {
  const common = {
    timeoutMs: config.PAYMENT_HTTP_TIMEOUT_MS,
    logger: logger.child({ provider: name }),
    fetch: deps.fetch,
    now: deps.now,
    defaultReturnUrl: config.PAYMENT_RETURN_URL,
  };
  switch (name) {
    case 'yookassa':
      return createYooKassaProvider({
        ...common,
        shopId: config.YOOKASSA_SHOP_ID ?? '',
        secretKey: config.YOOKASSA_SECRET_KEY ?? '',
        apiUrl: config.YOOKASSA_API_URL ?? 'https://api.yookassa.ru/v3',
        ...(config.YOOKASSA_ALLOWED_IPS ? { allowedIps: config.YOOKASSA_ALLOWED_IPS } : {}),
        receipt: {
          ...(config.YOOKASSA_RECEIPT_ENABLED !== undefined ? { enabled: config.YOOKASSA_RECEIPT_ENABLED } : {}),
          ...(config.YOOKASSA_VAT_CODE !== undefined ? { vatCode: config.YOOKASSA_VAT_CODE } : {}),
          ...(config.YOOKASSA_PAYMENT_SUBJECT ? { paymentSubject: config.YOOKASSA_PAYMENT_SUBJECT } : {}),
          ...(config.YOOKASSA_PAYMENT_MODE ? { paymentMode: config.YOOKASSA_PAYMENT_MODE } : {}),
          ...(config.YOOKASSA_RECEIPT_EMAIL ? { fallbackEmail: config.YOOKASSA_RECEIPT_EMAIL } : {}),
        },
      });
    case 'cryptopay':
      return createCryptoPayProvider({
        ...common,
        token: config.CRYPTOPAY_TOKEN ?? '',
        apiUrl: config.CRYPTOPAY_API_URL ?? 'https://pay.crypt.bot/api',
        webhookMaxAgeSeconds: config.CRYPTOPAY_WEBHOOK_MAX_AGE_SECONDS,
        invoiceExpiresInSeconds: config.CRYPTOPAY_INVOICE_EXPIRES_IN,
        acceptedAssets: config.CRYPTOPAY_ACCEPTED_ASSETS,
      });
    case 'stars':
      return createStarsProvider({
        botApi: deps.starsBotApi,
        forwardSecret: config.STARS_FORWARD_SECRET,
        timeoutMs: config.PAYMENT_HTTP_TIMEOUT_MS,
        logger: common.logger,
      });
    case 'wata':
      return createWataProvider({
        ...common,
        token: config.WATA_TOKEN ?? '',
        apiUrl: config.WATA_API_URL ?? 'https://api.wata.pro/api/h2h',
        publicKeyUrl: config.WATA_PUBLIC_KEY_URL,
        linkTtlMinutes: config.WATA_LINK_TTL_MINUTES,
      });
    case 'heleket':
      return createHeleketProvider({
        ...common,
        merchantId: config.HELEKET_MERCHANT_ID ?? '',
        paymentKey: config.HELEKET_PAYMENT_KEY ?? '',
        apiUrl: config.HELEKET_API_URL ?? 'https://api.heleket.com',
        ...(config.HELEKET_ALLOWED_IPS ? { allowedIps: config.HELEKET_ALLOWED_IPS } : {}),
        ...(config.HELEKET_CALLBACK_URL ? { callbackUrl: config.HELEKET_CALLBACK_URL } : {}),
        lifetimeSeconds: config.HELEKET_INVOICE_LIFETIME_SECONDS,
      });
    case 'platega':
      return createPlategaProvider({
        ...common,
        merchantId: config.PLATEGA_MERCHANT_ID ?? '',
        secret: config.PLATEGA_SECRET ?? '',
        apiUrl: config.PLATEGA_API_URL ?? 'https://app.platega.io',
        paymentMethod: config.PLATEGA_PAYMENT_METHOD,
      });
    case 'xrocket':
      return createXRocketProvider({
        ...common,
        token: config.XROCKET_TOKEN ?? '',
        apiUrl: config.XROCKET_API_URL ?? 'https://pay.xrocket.tg',
        asset: config.XROCKET_ASSET,
        rate: config.XROCKET_RATE ?? 0,
        decimals: config.XROCKET_DECIMALS,
        expiresInSeconds: config.XROCKET_INVOICE_EXPIRES_IN,
      });
    case 'severpay':
      return createSeverpayProvider({
        ...common,
        mid: config.SEVERPAY_MID ?? 0,
        token: config.SEVERPAY_TOKEN ?? '',
        apiUrl: config.SEVERPAY_API_URL ?? 'https://severpay.io/api/merchant',
        lifetimeMinutes: config.SEVERPAY_LIFETIME_MINUTES,
      });
  }
}

/**
 * Builds the enabled providers from configuration. Fails fast with PaymentError
 * `not_configured` listing every unknown name and missing key; a bad YooKassa allow-list entry
 * fails here too. Connects to nothing: providers call out only when used.
 */
export function createPaymentProviders(config: PaymentsConfig, deps: PaymentProvidersDeps = {}): PaymentProviders {
  const logger = deps.logger ?? silentLogger();
  const providers = new Map<ProviderName, PaymentProvider>();
  for (const name of enabledNames(config)) {
    try {
      providers.set(name, build(name, config, deps, logger));
    } catch (error) {
      if (error instanceof PaymentError) throw error;
      throw new PaymentError('not_configured', `${name}: ${error instanceof Error ? error.message : String(error)}`, {
        provider: name,
        cause: error,
      });
    }
  }
  return {
    names: [...providers.keys()],
    has: (name: string): name is ProviderName => providers.has(name as ProviderName),
    get(name) {
      const provider = providers.get(name as ProviderName);
      if (!provider) throw new PaymentError('not_configured', `payment provider ${name} is not enabled`);
      return provider;
    },
    list: () => [...providers.values()],
  };
}
