import { silentLogger, type Logger } from '@vpn/logger';
import { codeForStatus, createHttpClient, type FetchLike } from '../../http-client.js';
import { IdempotencyCache } from '../../idempotency-cache.js';
import { fromProviderAmount, toProviderAmount } from '../../money.js';
import { createdPayment, refundNotSupported, toVerifiedNotification } from '../../notification.js';
import { convertAmount, headerValue, optionalDate, parseJsonBody, parseWith } from '../../parse.js';
import {
  PaymentError,
  type CreatedPayment,
  type PaymentProvider,
  type ProviderPayment,
  type ProviderPaymentStatus,
} from '../../provider.js';
import {
  CRYPTOPAY_FIATS,
  cryptoEnvelopeSchema,
  cryptoInvoiceListSchema,
  cryptoInvoiceSchema,
  cryptoUpdateSchema,
  type CryptoInvoice,
} from './cryptopay.schema.js';
import { CRYPTOPAY_SIGNATURE_HEADER, isValidCryptoPaySignature } from './cryptopay.signature.js';

export interface CryptoPayOptions {
  /** The app token from @CryptoBot → Crypto Pay → My Apps. */
  token: string;
  /** `https://pay.crypt.bot/api` (testnet `https://testnet-pay.crypt.bot/api`) or an emulator; no trailing slash. */
  apiUrl: string;
  /**
   * Updates whose `request_date` is older than this are refused as replayed. Crypto Pay retries a
   * failed delivery for up to 3 days (17 attempts), so the default is 4 days: a genuine retry is
   * never refused, and the webhooks service's unique event id is what stops real replays.
   */
  webhookMaxAgeSeconds?: number;
  /** Invoice lifetime (`expires_in`, 1–2 678 400 s); default 3600. */
  invoiceExpiresInSeconds?: number;
  /** `accepted_assets`, e.g. `USDT,TON`; default all. */
  acceptedAssets?: string;
  defaultReturnUrl?: string;
  timeoutMs?: number;
  logger?: Logger;
  fetch?: FetchLike;
  now?: () => Date;
}

export const CRYPTOPAY_DEFAULT_MAX_AGE_SECONDS = 4 * 24 * 60 * 60;

const STATUS: Record<CryptoInvoice['status'], ProviderPaymentStatus> = { active: 'pending', paid: 'succeeded', expired: 'cancelled' };

function toProviderPayment(invoice: CryptoInvoice, raw: unknown): ProviderPayment {
  const currency = invoice.fiat ?? invoice.asset ?? '';
  if (invoice.currency_type !== 'fiat' || !invoice.fiat) {
    throw new PaymentError('malformed', `cryptopay: invoice ${invoice.invoice_id} is priced in crypto, not fiat`, {
      provider: 'cryptopay',
    });
  }
  return {
    externalId: String(invoice.invoice_id),
    status: STATUS[invoice.status],
    amountMinor: convertAmount('cryptopay', 'malformed', () => fromProviderAmount(invoice.amount, currency)),
    currency,
    ...(invoice.payload !== undefined ? { paymentId: invoice.payload } : {}),
    ...(invoice.paid_at ? { paidAt: optionalDate(invoice.paid_at) } : {}),
    raw,
  };
}

/**
 * The Crypto Pay (@CryptoBot) adapter: fiat-priced invoices the customer pays in crypto, status by
 * `getInvoices`, and `invoice_paid` updates verified by HMAC-SHA-256 over the raw body. Crypto
 * Pay has no refund API (a refund is a manual transfer) and no idempotency key.
 */
export function createCryptoPayProvider(options: CryptoPayOptions): PaymentProvider {
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? (() => new Date());
  const maxAgeMs = (options.webhookMaxAgeSeconds ?? CRYPTOPAY_DEFAULT_MAX_AGE_SECONDS) * 1000;
  const http = createHttpClient({
    provider: 'cryptopay',
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 10_000,
    logger,
    fetch: options.fetch,
    headers: { 'Crypto-Pay-API-Token': options.token },
  });
  const creates = new IdempotencyCache<CreatedPayment>('cryptopay');

  async function call(method: string, params: Record<string, unknown>): Promise<unknown> {
    const response = await http.request({ method: 'POST', path: `/${method}`, body: JSON.stringify(params) });
    const envelope = cryptoEnvelopeSchema.safeParse(response.json);
    if (envelope.success && envelope.data.ok) return envelope.data.result;
    if (!envelope.success && response.status === 200)
      throw new PaymentError('malformed', `cryptopay ${method}: not a Crypto Pay envelope`, { status: 200, provider: 'cryptopay' });
    const error = envelope.success && !envelope.data.ok ? envelope.data.error : undefined;
    const status = response.status === 200 ? (error?.code ?? 500) : response.status;
    throw new PaymentError(codeForStatus(status), `cryptopay ${method} failed: ${status} ${error?.name ?? 'unexpected response'}`, {
      status,
      provider: 'cryptopay',
      ...(error ? { providerCode: error.name } : {}),
    });
  }

  async function readInvoice(externalId: string): Promise<ProviderPayment> {
    if (!/^\d+$/.test(externalId))
      throw new PaymentError('not_found', `cryptopay: ${externalId} is not an invoice id`, { provider: 'cryptopay' });
    const list = parseWith('cryptopay', cryptoInvoiceListSchema, await call('getInvoices', { invoice_ids: externalId }), 'invoice list');
    const items = Array.isArray(list) ? list : list.items;
    const raw = items.find((item) => (item as { invoice_id?: unknown }).invoice_id === Number(externalId));
    if (raw === undefined) throw new PaymentError('not_found', `cryptopay: invoice ${externalId} not found`, { provider: 'cryptopay' });
    return toProviderPayment(parseWith('cryptopay', cryptoInvoiceSchema, raw, 'invoice'), raw);
  }

  return {
    name: 'cryptopay',
    capabilities: { refund: false, partialRefund: false, savedMethods: false, cancel: true },

    async createPayment(input) {
      if (!CRYPTOPAY_FIATS.has(input.currency))
        throw new PaymentError('rejected', `cryptopay: cannot price an invoice in ${input.currency}`, { provider: 'cryptopay' });
      const returnUrl = input.returnUrl ?? options.defaultReturnUrl;
      const params: Record<string, unknown> = {
        currency_type: 'fiat',
        fiat: input.currency,
        amount: convertAmount('cryptopay', 'rejected', () => toProviderAmount(input.amountMinor, input.currency)),
        description: Array.from(input.description).slice(0, 1024).join(''),
        payload: input.paymentId,
        expires_in: options.invoiceExpiresInSeconds ?? 3600,
        ...(options.acceptedAssets ? { accepted_assets: options.acceptedAssets } : {}),
        ...(returnUrl ? { paid_btn_name: 'callback', paid_btn_url: returnUrl } : {}),
      };
      return creates.run(input.idempotencyKey, JSON.stringify(params), async () => {
        const result = await call('createInvoice', params);
        const invoice = parseWith('cryptopay', cryptoInvoiceSchema, result, 'invoice');
        logger.info({ provider: 'cryptopay', paymentId: input.paymentId, externalId: invoice.invoice_id }, 'invoice created');
        return createdPayment(
          String(invoice.invoice_id),
          STATUS[invoice.status],
          invoice.bot_invoice_url,
          optionalDate(invoice.expiration_date),
        );
      });
    },

    getPayment: readInvoice,

    refund: () => refundNotSupported('cryptopay', 'refund with a manual transfer'),

    async checkCredentials() {
      const me = (await call('getMe', {})) as { name?: unknown } | undefined;
      return `getMe: app "${typeof me?.name === 'string' ? me.name : '?'}"`;
    },

    async cancelPayment(externalId) {
      // A paid invoice is kept: deleting it would not give the money back, only hide it from polls and reconciliation.
      const invoice = await readInvoice(externalId).catch((e: unknown) => {
        if (e instanceof PaymentError && e.code === 'not_found') return undefined;
        throw e;
      });
      if (invoice?.status === 'succeeded' || invoice?.status === 'refunded') return 'paid';
      if (invoice?.status === 'pending') {
        await call('deleteInvoice', { invoice_id: Number(externalId) });
        logger.info({ provider: 'cryptopay', externalId }, 'invoice deleted');
      }
      return 'cancelled';
    },

    async verifyNotification(input) {
      const signature = headerValue(input.headers, CRYPTOPAY_SIGNATURE_HEADER);
      if (!signature)
        throw new PaymentError('forged', `cryptopay: missing ${CRYPTOPAY_SIGNATURE_HEADER} header`, { provider: 'cryptopay' });
      if (!isValidCryptoPaySignature(options.token, input.rawBody, signature)) {
        throw new PaymentError('forged', 'cryptopay: signature does not match the body', { provider: 'cryptopay' });
      }
      const update = parseWith('cryptopay', cryptoUpdateSchema, parseJsonBody('cryptopay', input.rawBody), 'update');
      const sentAt = optionalDate(update.request_date);
      if (!sentAt) throw new PaymentError('malformed', `cryptopay: bad request_date ${update.request_date}`, { provider: 'cryptopay' });
      if (now().getTime() - sentAt.getTime() > maxAgeMs) {
        throw new PaymentError(
          'replayed',
          `cryptopay: update ${update.update_id} of ${update.request_date} is older than the replay window`,
          { provider: 'cryptopay' },
        );
      }
      const invoice = parseWith('cryptopay', cryptoInvoiceSchema, update.payload, 'update payload');
      if (invoice.status !== 'paid')
        throw new PaymentError('malformed', `cryptopay: invoice_paid update for an invoice in status ${invoice.status}`, {
          provider: 'cryptopay',
        });
      const view = toProviderPayment(invoice, update);
      // update_id is not unique (cryptopay.md §6) and an invoice is paid once: the invoice names the event.
      return toVerifiedNotification('cryptopay', view, `invoice_paid:${invoice.invoice_id}`, view.paidAt ?? sentAt);
    },
  };
}
