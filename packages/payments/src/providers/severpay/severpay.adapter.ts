import { randomBytes } from 'node:crypto';
import { silentLogger, type Logger } from '@vpn/logger';
import { checkClaim, rereadForNotification } from '../../claim.js';
import { codeForStatus, createHttpClient, type FetchLike } from '../../http-client.js';
import { IdempotencyCache } from '../../idempotency-cache.js';
import { fromProviderAmount, toProviderAmount } from '../../money.js';
import { createdPayment, refundNotSupported, toVerifiedNotification } from '../../notification.js';
import { convertAmount, parseJsonBody, parseWith } from '../../parse.js';
import {
  PaymentError,
  type CreatedPayment,
  type PaymentProvider,
  type ProviderPayment,
  type ProviderPaymentStatus,
} from '../../provider.js';
import {
  severpayCreatedSchema,
  severpayEnvelopeSchema,
  severpayPaymentSchema,
  severpayWebhookSchema,
  type SeverpayPayment,
} from './severpay.schema.js';
import { isValidSeverpayWebhook, signedSeverpayRequest } from './severpay.signature.js';

export interface SeverpayOptions {
  /** The merchant id (`mid`, an integer). */
  mid: number;
  /** The secret token: HMAC key of requests and webhooks. */
  token: string;
  /** `https://severpay.io/api/merchant` or an emulator; no trailing slash. */
  apiUrl: string;
  /** Payment-link lifetime in minutes, 30–4320; default 60. */
  lifetimeMinutes?: number;
  defaultReturnUrl?: string;
  timeoutMs?: number;
  logger?: Logger;
  fetch?: FetchLike;
  now?: () => Date;
}

/** Sever Pay statuses (severpay.md §5); unknown strings are pending, as Bedolaga reads them. */
export function severpayStatus(status: string): ProviderPaymentStatus {
  if (status === 'success') return 'succeeded';
  if (status === 'decline' || status === 'fail') return 'failed';
  return 'pending';
}

function toProviderPayment(p: SeverpayPayment, raw: unknown): ProviderPayment {
  const status = severpayStatus(p.status);
  return {
    externalId: p.id,
    status,
    amountMinor: convertAmount('severpay', 'malformed', () => fromProviderAmount(p.amount, p.currency)),
    currency: p.currency,
    paymentId: p.order_id,
    ...(status === 'failed' ? { failureReason: p.status } : {}),
    raw,
  };
}

/**
 * The Sever Pay adapter (severpay.md): payment links (`payin/create`) keyed by our payment id as
 * `order_id`, status by `payin/get`, every request signed in its body (HMAC-SHA-256 over the
 * sorted, unescaped JSON), and webhooks whose `sign` is checked over the PHP re-encoding in either
 * key order, then confirmed by re-reading the payment. Only create and get exist: no refund, no
 * cancel. The webhooks route answers `{"status": true}`, the only answer Sever Pay counts.
 */
export function createSeverpayProvider(options: SeverpayOptions): PaymentProvider {
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? (() => new Date());
  const http = createHttpClient({
    provider: 'severpay',
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 10_000,
    logger,
    fetch: options.fetch,
  });
  const creates = new IdempotencyCache<CreatedPayment>('severpay');
  const lifetime = Math.min(Math.max(options.lifetimeMinutes ?? 60, 30), 4320);

  async function call(path: string, params: Record<string, unknown>): Promise<unknown> {
    const body = signedSeverpayRequest({ ...params, mid: options.mid, salt: randomBytes(8).toString('hex') }, options.token);
    const response = await http.request({ method: 'POST', path, body });
    const envelope = severpayEnvelopeSchema.safeParse(response.json);
    if (response.status === 200 && envelope.success && envelope.data.status === true) return envelope.data.data;
    const msg = envelope.success ? (envelope.data.msg ?? '') : 'unexpected response';
    // The HTTP status of refusals is unknown (§3): a 200 with status false is a refusal; "not found" is not_found.
    const code = /sign|merchant/i.test(msg)
      ? 'not_configured'
      : /not\s*found/i.test(msg)
        ? 'not_found'
        : codeForStatus(response.status === 200 ? 400 : response.status);
    throw new PaymentError(code, `severpay ${path} refused (${response.status}): ${msg}`.slice(0, 500), {
      status: response.status,
      provider: 'severpay',
    });
  }

  async function read(externalId: string): Promise<ProviderPayment> {
    if (!/^\d{1,18}$/.test(externalId))
      throw new PaymentError('not_found', `severpay: ${externalId} is not a payment id`, { provider: 'severpay' });
    const raw = await call('/payin/get', { id: Number(externalId) });
    return toProviderPayment(parseWith('severpay', severpayPaymentSchema, raw, 'payment'), raw);
  }

  return {
    name: 'severpay',
    capabilities: { refund: false, partialRefund: false, savedMethods: false, cancel: false },

    async createPayment(input) {
      const amount = convertAmount('severpay', 'rejected', () => toProviderAmount(input.amountMinor, input.currency));
      const returnUrl = input.returnUrl ?? options.defaultReturnUrl;
      const params = {
        order_id: input.paymentId,
        // A JSON number in shortest form (299.5, never 299.50): the server re-encodes what it decoded (§2).
        amount: Number(amount),
        currency: input.currency,
        // Mandatory and non-empty (§4.1); a Telegram-only shop has no e-mail.
        client_email: input.customer.email ?? `${input.customer.telegramId}@telegram.org`,
        client_id: String(input.customer.telegramId),
        ...(returnUrl ? { url_return: returnUrl } : {}),
        lifetime,
      };
      return creates.run(input.idempotencyKey, JSON.stringify(params), async () => {
        const created = parseWith('severpay', severpayCreatedSchema, await call('/payin/create', params), 'payment');
        logger.info({ provider: 'severpay', paymentId: input.paymentId, externalId: created.id }, 'payment created');
        const expires =
          created.expire_at === null || created.expire_at === undefined ? undefined : new Date(Number(created.expire_at) * 1000);
        return createdPayment(created.id, 'pending', created.url, expires);
      });
    },

    getPayment: read,

    refund: () => refundNotSupported('severpay', 'refund from the Sever Pay cabinet'),

    async cancelPayment() {
      return 'not_supported';
    },

    async verifyNotification(input) {
      const text = input.rawBody.toString('utf8');
      const body = parseWith('severpay', severpayWebhookSchema, parseJsonBody('severpay', input.rawBody), 'webhook');
      if (!isValidSeverpayWebhook(text, options.token))
        throw new PaymentError('forged', 'severpay: sign is missing or does not match the body', { provider: 'severpay' });
      // `test` checks the endpoint and the signature (§6): acknowledged, nothing to record.
      if (body.type !== 'payin')
        throw new PaymentError('replayed', `severpay: ${body.type} webhook acknowledged`, { provider: 'severpay' });
      const claimed = parseWith('severpay', severpayPaymentSchema, body.data, 'webhook data');
      const view = await rereadForNotification('severpay', claimed.id, read);
      if (view.paymentId !== claimed.order_id)
        throw new PaymentError('forged', `severpay: payment ${claimed.id} belongs to another order`, { provider: 'severpay' });
      checkClaim('severpay', severpayStatus(claimed.status), claimed.status, view);
      const status = (view.raw as { status?: string }).status ?? claimed.status;
      return toVerifiedNotification('severpay', view, `${view.externalId}:${status}`, now());
    },
  };
}
