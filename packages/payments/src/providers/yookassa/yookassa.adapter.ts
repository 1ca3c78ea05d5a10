import { silentLogger, type Logger } from '@vpn/logger';
import { createHttpClient, type FetchLike } from '../../http-client.js';
import { createIpAllowList } from '../../ip-allow-list.js';
import { toProviderAmount } from '../../money.js';
import { convertAmount } from '../../parse.js';
import { PaymentError, type CreatedPayment, type PaymentProvider } from '../../provider.js';
import { createYooKassaApi } from './yookassa.api.js';
import { YOOKASSA_NOTIFICATION_IPS } from './yookassa.ips.js';
import { buildCreateBody, buildReceipt, toProviderPayment, truncate, type YooKassaReceiptOptions } from './yookassa.mapping.js';
import { verifyYooKassaNotification } from './yookassa.notification.js';
import { readUnknownPayment } from '../../credential-check.js';

export interface YooKassaOptions {
  shopId: string;
  secretKey: string;
  /** `https://api.yookassa.ru/v3`, or an emulator's URL; no trailing slash. */
  apiUrl: string;
  /** Notification senders; defaults to YooKassa's published ranges (YOOKASSA_NOTIFICATION_IPS). */
  allowedIps?: readonly string[];
  receipt?: Partial<YooKassaReceiptOptions>;
  /** Where the customer returns after paying when CreatePaymentInput has no returnUrl. */
  defaultReturnUrl?: string;
  timeoutMs?: number;
  logger?: Logger;
  fetch?: FetchLike;
  now?: () => Date;
}

export const DEFAULT_RECEIPT: YooKassaReceiptOptions = {
  enabled: true,
  vatCode: 1,
  paymentSubject: 'service',
  paymentMode: 'full_payment',
};

/**
 * The YooKassa adapter (cards, SBP): one-stage payments with a redirect confirmation, saved
 * methods for auto-renew, 54-FZ receipts, refunds, and notifications verified by sender address
 * and by re-reading the object. Every POST carries the caller's Idempotence-Key, so a retried
 * create or refund is the same payment or refund.
 */
export function createYooKassaProvider(options: YooKassaOptions): PaymentProvider {
  const logger = options.logger ?? silentLogger();
  const receipt: YooKassaReceiptOptions = { ...DEFAULT_RECEIPT, ...options.receipt };
  const allowList = createIpAllowList(options.allowedIps ?? YOOKASSA_NOTIFICATION_IPS);
  const now = options.now ?? (() => new Date());
  const auth = Buffer.from(`${options.shopId}:${options.secretKey}`).toString('base64');
  const http = createHttpClient({
    provider: 'yookassa',
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 10_000,
    logger,
    fetch: options.fetch,
    headers: { authorization: `Basic ${auth}` },
  });
  const api = createYooKassaApi(http);

  return {
    name: 'yookassa',
    capabilities: { refund: true, partialRefund: true, savedMethods: true, cancel: false },

    async createPayment(input) {
      const returnUrl = input.returnUrl ?? options.defaultReturnUrl;
      if (!input.savedPaymentMethodId && !returnUrl) {
        throw new PaymentError('rejected', 'yookassa: a returnUrl is required for a redirect confirmation', { provider: 'yookassa' });
      }
      const body = convertAmount('yookassa', 'rejected', () => buildCreateBody(input, returnUrl, receipt));
      let refused = false;
      const made = await api.createPayment(JSON.stringify(body), input.idempotencyKey).catch(async (error: unknown) => {
        // Recurring payments are enabled per shop on request: without them YooKassa refuses
        // save_payment_method (403 forbidden). The payment is made once more without it (under its
        // own key: the refused request's answer is cached under the first); the caller tells the operator.
        if (!(error instanceof PaymentError) || error.details.providerCode !== 'forbidden' || body.save_payment_method !== true)
          throw error;
        refused = true;
        logger.error({ provider: 'yookassa', paymentId: input.paymentId }, 'yookassa refused save_payment_method; created without it');
        const { save_payment_method: _dropped, ...unsaved } = body;
        return api.createPayment(JSON.stringify(unsaved), `${input.idempotencyKey}-nosave`.slice(-64));
      });
      const { payment, raw } = made;
      const view = toProviderPayment(payment, raw);
      const created: CreatedPayment = { externalId: payment.id, status: view.status };
      if (refused) created.savePaymentMethodRefused = true;
      if (payment.confirmation?.confirmation_url) created.confirmationUrl = payment.confirmation.confirmation_url;
      if (payment.expires_at) created.expiresAt = new Date(payment.expires_at);
      logger.info({ provider: 'yookassa', paymentId: input.paymentId, externalId: payment.id, status: view.status }, 'payment created');
      return created;
    },

    checkCredentials: () => readUnknownPayment((id) => api.getPayment(id)),

    async getPayment(externalId) {
      const { payment, raw } = await api.getPayment(externalId);
      return toProviderPayment(payment, raw);
    },

    async refund(input) {
      // The refund amount needs the currency, and a refund receipt repeats the item: both come from the payment.
      const needPayment = input.currency === undefined || receipt.enabled;
      const original = needPayment ? (await api.getPayment(input.externalId)).payment : undefined;
      const currency = input.currency ?? original?.amount.currency ?? 'RUB';
      const amount = { value: convertAmount('yookassa', 'rejected', () => toProviderAmount(input.amountMinor, currency)), currency };
      const body: Record<string, unknown> = { payment_id: input.externalId, amount };
      if (input.reason) body.description = truncate(input.reason, 250);
      const receiptBody = buildReceipt(receipt, input.customer, original?.description ?? input.reason ?? 'Refund', amount);
      if (receiptBody) body.receipt = receiptBody;
      const { refund } = await api.createRefund(JSON.stringify(body), input.idempotencyKey);
      logger.info({ provider: 'yookassa', externalId: input.externalId, refundId: refund.id, status: refund.status }, 'refund requested');
      return { refundId: refund.id, status: refund.status === 'canceled' ? 'failed' : refund.status };
    },

    async cancelPayment() {
      // `POST /payments/{id}/cancel` only applies to `waiting_for_capture` (yookassa.md §6); our
      // payments are one-stage, and a `pending` one ends by itself (`expired_on_confirmation`).
      return 'not_supported';
    },

    async verifyNotification(input) {
      return verifyYooKassaNotification(input, { api, allowList, now });
    },
  };
}
