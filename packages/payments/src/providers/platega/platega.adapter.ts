import { timingSafeEqual } from 'node:crypto';
import { silentLogger, type Logger } from '@vpn/logger';
import { checkClaim, rereadForNotification } from '../../claim.js';
import { codeForStatus, createHttpClient, type FetchLike } from '../../http-client.js';
import { IdempotencyCache } from '../../idempotency-cache.js';
import { toProviderAmount } from '../../money.js';
import { createdPayment, refundNotSupported, toVerifiedNotification } from '../../notification.js';
import { convertAmount, headerValue, parseJsonBody, parseWith } from '../../parse.js';
import { PaymentError, type CreatedPayment, type PaymentProvider, type ProviderPayment } from '../../provider.js';
import { plategaStatus, toProviderPayment } from './platega.mapping.js';
import { plategaCallbackSchema, plategaCreatedSchema, plategaTransactionSchema } from './platega.schema.js';
import { readUnknownPayment } from '../../credential-check.js';

export const PLATEGA_MERCHANT_HEADER = 'X-MerchantId';
export const PLATEGA_SECRET_HEADER = 'X-Secret';

export interface PlategaOptions {
  merchantId: string;
  secret: string;
  /** `https://app.platega.io` (some integrations use `https://api.platega.io`) or an emulator; no trailing slash. */
  apiUrl: string;
  /** `paymentMethod`: 2 SBP QR (default), 11 card (МИР), 12 international card, 13 crypto, 14 SberPay. */
  paymentMethod?: number;
  defaultReturnUrl?: string;
  timeoutMs?: number;
  logger?: Logger;
  fetch?: FetchLike;
  now?: () => Date;
}

function sameText(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The Platega adapter (platega.md, UNVERIFIED as a whole): SBP/card transactions in roubles with
 * our payment id as `payload`, status by `GET /transaction/{id}`, and callbacks authenticated by
 * our own credentials in their headers (no signature), then confirmed by re-reading the
 * transaction. No idempotency key, no refund and no cancel call are known.
 */
export function createPlategaProvider(options: PlategaOptions): PaymentProvider {
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? (() => new Date());
  const http = createHttpClient({
    provider: 'platega',
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 10_000,
    logger,
    fetch: options.fetch,
    headers: { [PLATEGA_MERCHANT_HEADER]: options.merchantId, [PLATEGA_SECRET_HEADER]: options.secret },
  });
  const creates = new IdempotencyCache<CreatedPayment>('platega');

  async function call(method: 'GET' | 'POST', path: string, body?: string): Promise<unknown> {
    const response = await http.request({ method, path, ...(body !== undefined ? { body } : {}) });
    if (response.status === 200 || response.status === 201) return response.json;
    const error = response.json as { code?: string; message?: string } | undefined;
    // "No available requisites" is a 400 worth retrying later, not a refusal of the order itself.
    const code = /requisites/i.test(error?.message ?? '') ? 'unreachable' : codeForStatus(response.status);
    throw new PaymentError(code, `platega ${method} ${path} answered ${response.status} ${error?.message ?? ''}`.trim(), {
      status: response.status,
      provider: 'platega',
      ...(error?.code ? { providerCode: error.code } : {}),
    });
  }

  async function read(externalId: string): Promise<ProviderPayment> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(externalId))
      throw new PaymentError('not_found', `platega: ${externalId} is not a transaction id`, { provider: 'platega' });
    const raw = await call('GET', `/transaction/${externalId}`);
    return toProviderPayment(parseWith('platega', plategaTransactionSchema, raw, 'transaction'), raw);
  }

  return {
    name: 'platega',
    capabilities: { refund: false, partialRefund: false, savedMethods: false, cancel: false },

    async createPayment(input) {
      if (input.currency !== 'RUB')
        throw new PaymentError('rejected', `platega: transactions are in roubles, not ${input.currency}`, { provider: 'platega' });
      const amount = convertAmount('platega', 'rejected', () => toProviderAmount(input.amountMinor, input.currency));
      const returnUrl = input.returnUrl ?? options.defaultReturnUrl;
      // Exactly the documented fields: the schema is strict and an `id` of ours is refused.
      const body = JSON.stringify({
        paymentMethod: options.paymentMethod ?? 2,
        // A float written by JSON.stringify is the shortest text of a 2-decimal amount: 299.5 → 299.5.
        paymentDetails: { amount: Number(amount), currency: input.currency },
        description: Array.from(input.description).slice(0, 250).join(''),
        ...(returnUrl ? { return: returnUrl, failedUrl: returnUrl } : {}),
        payload: input.paymentId,
      });
      return creates.run(input.idempotencyKey, body, async () => {
        const created = parseWith('platega', plategaCreatedSchema, await call('POST', '/transaction/process', body), 'transaction');
        logger.info({ provider: 'platega', paymentId: input.paymentId, externalId: created.transactionId }, 'transaction created');
        const ttl = /^(\d+):(\d\d):(\d\d)$/.exec(created.expiresIn ?? '');
        const expiresAt = ttl
          ? new Date(now().getTime() + (Number(ttl[1]) * 3600 + Number(ttl[2]) * 60 + Number(ttl[3])) * 1000)
          : undefined;
        return createdPayment(created.transactionId, plategaStatus(created.status ?? 'PENDING'), created.redirect, expiresAt);
      });
    },

    getPayment: read,

    checkCredentials: () => readUnknownPayment(read),

    refund: () => refundNotSupported('platega', 'refund from the Platega cabinet'),

    async cancelPayment() {
      return 'not_supported';
    },

    async verifyNotification(input) {
      // Platega signs nothing: the callback carries our own credentials (platega.md §4).
      const merchantOk = sameText(headerValue(input.headers, PLATEGA_MERCHANT_HEADER), options.merchantId);
      const secretOk = sameText(headerValue(input.headers, PLATEGA_SECRET_HEADER), options.secret);
      if (!merchantOk || !secretOk) throw new PaymentError('forged', 'platega: callback credentials do not match', { provider: 'platega' });
      const callback = parseWith('platega', plategaCallbackSchema, parseJsonBody('platega', input.rawBody), 'callback');
      const view = await rereadForNotification('platega', callback.id, read);
      if (callback.payload && view.paymentId && callback.payload !== view.paymentId)
        throw new PaymentError('forged', `platega: callback payload differs from transaction ${view.externalId}`, { provider: 'platega' });
      checkClaim('platega', plategaStatus(callback.status), callback.status, view);
      const status = (view.raw as { status?: string }).status ?? callback.status;
      return toVerifiedNotification('platega', view, `${view.externalId}:${status.toUpperCase()}`, now());
    },
  };
}
