import { silentLogger, type Logger } from '@vpn/logger';
import { createHttpClient, type FetchLike } from '../../http-client.js';
import { createIpAllowList } from '../../ip-allow-list.js';
import { toProviderAmount } from '../../money.js';
import { convertAmount } from '../../parse.js';
import { createdPayment, refundNotSupported } from '../../notification.js';
import { PaymentError, type PaymentProvider } from '../../provider.js';
import { createHeleketApi } from './heleket.api.js';
import { toProviderPayment } from './heleket.mapping.js';
import { verifyHeleketNotification } from './heleket.notification.js';
import { readUnknownPayment } from '../../credential-check.js';

/** The address Heleket's webhooks come from, per its docs' "check the IP" advice (UNVERIFIED: configurable). */
export const HELEKET_WEBHOOK_IPS: readonly string[] = ['31.133.220.8'];

export interface HeleketOptions {
  /** The merchant uuid (`merchant` header). */
  merchantId: string;
  /** The payment API key (payouts have another one): signs requests and webhooks. */
  paymentKey: string;
  /** `https://api.heleket.com` or an emulator; no trailing slash. */
  apiUrl: string;
  /** Webhook senders allowed (IPs / CIDRs); default HELEKET_WEBHOOK_IPS; an empty list turns the check off. */
  allowedIps?: readonly string[];
  /** `url_callback` of each invoice (our webhooks route); unset = the URL set in Heleket's cabinet. */
  callbackUrl?: string;
  /** Invoice lifetime, 300–43 200 s; default 3600. */
  lifetimeSeconds?: number;
  defaultReturnUrl?: string;
  timeoutMs?: number;
  logger?: Logger;
  fetch?: FetchLike;
  now?: () => Date;
}

/**
 * The Heleket adapter (heleket.md): fiat-priced invoices paid in crypto, keyed by our payment id
 * as `order_id` (Heleket returns the existing invoice for a repeated order id: natural
 * idempotency), status by `payment/info`, and webhooks believed only from an allowed address, with
 * a valid `sign`, and after re-reading the invoice. A refund needs the payer's wallet address,
 * which the bot never has: refunds are manual.
 */
export function createHeleketProvider(options: HeleketOptions): PaymentProvider {
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? (() => new Date());
  const http = createHttpClient({
    provider: 'heleket',
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 10_000,
    logger,
    fetch: options.fetch,
  });
  const api = createHeleketApi(http, options.merchantId, options.paymentKey);
  const ips = options.allowedIps ?? HELEKET_WEBHOOK_IPS;
  const allowList = ips.length > 0 ? createIpAllowList(ips) : undefined;
  const lifetime = Math.min(Math.max(options.lifetimeSeconds ?? 3600, 300), 43_200);

  async function read(externalId: string) {
    const { invoice, raw } = await api.info({ uuid: externalId });
    return toProviderPayment(invoice, raw);
  }

  return {
    name: 'heleket',
    capabilities: { refund: false, partialRefund: false, savedMethods: false, cancel: false },

    async createPayment(input) {
      const amount = convertAmount('heleket', 'rejected', () => toProviderAmount(input.amountMinor, input.currency));
      const returnUrl = input.returnUrl ?? options.defaultReturnUrl;
      const { invoice, raw } = await api.createInvoice({
        amount,
        currency: input.currency,
        order_id: input.paymentId,
        lifetime,
        is_payment_multiple: true,
        ...(returnUrl ? { url_return: returnUrl, url_success: returnUrl } : {}),
        ...(options.callbackUrl ? { url_callback: options.callbackUrl } : {}),
      });
      const payment = toProviderPayment(invoice, raw);
      // A repeated order id returns the first invoice, whatever this request said: it must be the same sale.
      if (payment.amountMinor !== input.amountMinor || payment.currency !== input.currency || payment.paymentId !== input.paymentId) {
        throw new PaymentError('rejected', `heleket: order ${input.paymentId} exists as ${invoice.amount} ${invoice.currency}`, {
          provider: 'heleket',
        });
      }
      logger.info({ provider: 'heleket', paymentId: input.paymentId, externalId: invoice.uuid }, 'invoice created');
      const expiresAt = typeof invoice.expired_at === 'number' ? new Date(invoice.expired_at * 1000) : undefined;
      return createdPayment(invoice.uuid, payment.status, invoice.url, expiresAt);
    },

    getPayment: read,

    checkCredentials: () => readUnknownPayment(read),

    // A refund goes to a wallet address the bot never has.
    refund: () => refundNotSupported('heleket', 'refund by hand to the payer wallet'),

    async cancelPayment() {
      // No call closes an invoice (heleket.md §2): it ends at `expired_at`.
      return 'not_supported';
    },

    verifyNotification: (input) => verifyHeleketNotification(input, { paymentKey: options.paymentKey, allowList, read, now }),
  };
}
