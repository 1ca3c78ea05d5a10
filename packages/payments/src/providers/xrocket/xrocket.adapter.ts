import { silentLogger, type Logger } from '@vpn/logger';
import { checkClaim, rereadForNotification } from '../../claim.js';
import { codeForStatus, createHttpClient, type FetchLike } from '../../http-client.js';
import { currencyExponent } from '../../money.js';
import { createdPayment, refundNotSupported, toVerifiedNotification } from '../../notification.js';
import { headerValue, parseJsonBody, parseWith } from '../../parse.js';
import { PaymentError, type PaymentProvider, type ProviderPayment } from '../../provider.js';
import { isValidCryptoPaySignature } from '../cryptopay/cryptopay.signature.js';
import { encodePayload, toProviderPayment } from './xrocket.mapping.js';
import { xrocketEnvelopeSchema, xrocketInvoiceSchema, xrocketWebhookSchema } from './xrocket.schema.js';

/** The webhook signature header (xrocket-pay.md §5): HMAC-SHA-256 keyed by SHA-256(token), as Crypto Pay's. */
export const XROCKET_SIGNATURE_HEADER = 'rocket-pay-signature';
export const XROCKET_KEY_HEADER = 'Rocket-Pay-Key';

export interface XRocketOptions {
  /** The app's API token (legacy "Rocket Pay" API, header Rocket-Pay-Key); also the webhook key. */
  token: string;
  /** `https://pay.xrocket.tg` (testnet host unknown: `https://dev-pay.xrocket.tg` or `https://pay.testnet.xrocket.tg`) or an emulator. */
  apiUrl: string;
  /** The asset invoices are in (`USDT`, `TONCOIN`, …); default USDT. */
  asset?: string;
  /** Fiat units (of the payment's currency) per one asset unit, e.g. 95.5 RUB per USDT: invoices are in crypto only. */
  rate: number;
  /** Decimals of the invoiced crypto amount (rounded up, so the shop is never short); default 2. */
  decimals?: number;
  /** `expiredIn`, 0–86 400 s; default 3600. */
  expiresInSeconds?: number;
  defaultReturnUrl?: string;
  timeoutMs?: number;
  logger?: Logger;
  fetch?: FetchLike;
  now?: () => Date;
}

/** `minor` of `currency` divided by `rate`, rounded up to `decimals`, as decimal text. */
export function cryptoAmount(minor: number, currency: string, rate: number, decimals: number): string {
  if (!(rate > 0)) throw new RangeError('xrocket: the exchange rate must be positive');
  const fiat = minor / 10 ** currencyExponent(currency);
  const scale = 10 ** decimals;
  // Rounded to 9 places first so 1.10 / 1.1 is 1, not 1.0000000000000002 rounded up to 1.01.
  const units = Math.ceil(Number(((fiat / rate) * scale).toFixed(6)));
  return (units / scale).toFixed(decimals);
}

/**
 * The xRocket Pay adapter, legacy "Rocket Pay" API 1.3.1 (xrocket-pay.md §1–§8): invoices in a
 * crypto asset converted from the fiat price at a configured rate (the fiat price and our payment
 * id travel in the invoice's `payload`), status by `GET /tg-invoices/{id}`, cancel by DELETE, and
 * `invoicePay` webhooks signed like Crypto Pay's over the raw bytes, then confirmed by a re-read.
 * Payments are final (no refund API; a refund would be a manual transfer).
 */
export function createXRocketProvider(options: XRocketOptions): PaymentProvider {
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? (() => new Date());
  const asset = options.asset ?? 'USDT';
  const http = createHttpClient({
    provider: 'xrocket',
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 10_000,
    logger,
    fetch: options.fetch,
    headers: { [XROCKET_KEY_HEADER]: options.token },
  });

  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: string): Promise<unknown> {
    const response = await http.request({ method, path, ...(body !== undefined ? { body } : {}) });
    const envelope = xrocketEnvelopeSchema.safeParse(response.json);
    if (response.status >= 200 && response.status < 300 && envelope.success && envelope.data.success) return envelope.data.data;
    // 401 or 403 for a bad key (both declared, xrocket-pay.md §2): either means the token is wrong.
    const status = response.status === 403 ? 401 : response.status;
    const message = envelope.success ? (envelope.data.message ?? '') : 'unexpected response';
    throw new PaymentError(
      codeForStatus(status < 300 ? 500 : status),
      `xrocket ${method} ${path} answered ${response.status} ${message}`.trim(),
      {
        status: response.status,
        provider: 'xrocket',
      },
    );
  }

  async function read(externalId: string): Promise<ProviderPayment> {
    if (!/^\d{1,20}$/.test(externalId))
      throw new PaymentError('not_found', `xrocket: ${externalId} is not an invoice id`, { provider: 'xrocket' });
    const raw = await call('GET', `/tg-invoices/${externalId}`);
    return toProviderPayment(parseWith('xrocket', xrocketInvoiceSchema, raw, 'invoice'), raw);
  }

  return {
    name: 'xrocket',
    capabilities: { refund: false, partialRefund: false, savedMethods: false, cancel: true },

    async createPayment(input) {
      let amount: string;
      try {
        amount = cryptoAmount(input.amountMinor, input.currency, options.rate, options.decimals ?? 2);
      } catch (error) {
        throw new PaymentError('rejected', `xrocket: ${error instanceof Error ? error.message : String(error)}`, { provider: 'xrocket' });
      }
      const returnUrl = input.returnUrl ?? options.defaultReturnUrl;
      // No idempotency at xRocket (§7): the bot's one-payment-per-checkout rule keeps a retry to one invoice.
      const body = JSON.stringify({
        amount: Number(amount),
        numPayments: 1,
        currency: asset,
        description: Array.from(input.description).slice(0, 1000).join(''),
        payload: encodePayload({ p: input.paymentId, a: input.amountMinor, c: input.currency }),
        commentsEnabled: false,
        // A "Return" button, not a webhook URL (§8.1).
        ...(returnUrl ? { callbackUrl: returnUrl } : {}),
        expiredIn: options.expiresInSeconds ?? 3600,
      });
      const raw = await call('POST', '/tg-invoices', body);
      const invoice = parseWith('xrocket', xrocketInvoiceSchema, raw, 'invoice');
      logger.info({ provider: 'xrocket', paymentId: input.paymentId, externalId: invoice.id, amount, asset }, 'invoice created');
      const expiresIn = Number(invoice.expiredIn ?? 0);
      return createdPayment(invoice.id, 'pending', invoice.link, expiresIn > 0 ? new Date(now().getTime() + expiresIn * 1000) : undefined);
    },

    async checkCredentials() {
      const app = (await call('GET', '/app/info')) as { name?: unknown } | undefined;
      return `app/info: app "${typeof app?.name === 'string' ? app.name : '?'}"`;
    },

    getPayment: read,

    refund: () => refundNotSupported('xrocket', 'invoice payments are final; send a manual transfer'),

    async cancelPayment(externalId) {
      const current = await read(externalId).catch((e: unknown) => {
        if (e instanceof PaymentError && e.code === 'not_found') return undefined;
        throw e;
      });
      if (current?.status === 'succeeded') return 'paid';
      if (current?.status === 'pending') await call('DELETE', `/tg-invoices/${externalId}`);
      return 'cancelled';
    },

    async verifyNotification(input) {
      const signature = headerValue(input.headers, XROCKET_SIGNATURE_HEADER);
      // Over the raw bytes, never a re-serialisation (the vendor's examples re-stringify, §5).
      if (!signature || !isValidCryptoPaySignature(options.token, input.rawBody, signature))
        throw new PaymentError('forged', 'xrocket: signature is missing or does not match the body', { provider: 'xrocket' });
      const hook = parseWith('xrocket', xrocketWebhookSchema, parseJsonBody('xrocket', input.rawBody), 'webhook');
      if (hook.type !== 'invoicePay')
        throw new PaymentError('replayed', `xrocket: ${hook.type} webhooks are not ours`, { provider: 'xrocket' });
      const claimed = parseWith('xrocket', xrocketInvoiceSchema, hook.data, 'webhook invoice');
      const view = await rereadForNotification('xrocket', claimed.id, read);
      checkClaim('xrocket', 'succeeded', 'invoicePay', view);
      // One payment per invoice (numPayments 1): the invoice names the event.
      return toVerifiedNotification('xrocket', view, `invoicePay:${view.externalId}`, view.paidAt ?? now());
    },
  };
}
