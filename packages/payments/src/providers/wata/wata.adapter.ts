import { silentLogger, type Logger } from '@vpn/logger';
import { createHttpClient, type FetchLike } from '../../http-client.js';
import { toProviderAmount } from '../../money.js';
import { convertAmount } from '../../parse.js';
import { PaymentError, type CreatedPayment, type PaymentProvider } from '../../provider.js';
import { createWataApi } from './wata.api.js';
import { orderState, paidPayment, refundedMinor, wataMinor } from './wata.mapping.js';
import { verifyWataNotification } from './wata.notification.js';
import { WATA_CURRENCIES } from './wata.schema.js';
import { WataKeyCache } from './wata.signature.js';
import { UNKNOWN_PAYMENT_ID } from '../../credential-check.js';

export interface WataOptions {
  /** The terminal's access token (JWT from the merchant cabinet). */
  token: string;
  /** `https://api.wata.pro/api/h2h` (sandbox `https://api-sandbox.wata.pro/api/h2h`) or an emulator; no trailing slash. */
  apiUrl: string;
  /** Where the webhook public key is fetched; default `${apiUrl}/public-key`. Sandbox and production keys differ. */
  publicKeyUrl?: string;
  /** Payment link lifetime, 10 minutes to 30 days; default 60 minutes. */
  linkTtlMinutes?: number;
  defaultReturnUrl?: string;
  /** Refetch the key after a failed verification at most this often; default 60 s. */
  publicKeyRefreshMinIntervalMs?: number;
  timeoutMs?: number;
  logger?: Logger;
  fetch?: FetchLike;
  now?: () => Date;
}

/**
 * The WATA adapter: payment links keyed by our payment id as `orderId` (WATA warns that link ids
 * are temporary, so the order id is the external id throughout), status from the order's
 * transactions, refunds of the paid transaction, and webhooks verified with RSA-SHA512 against
 * the published public key.
 */
export function createWataProvider(options: WataOptions): PaymentProvider {
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? (() => new Date());
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const common = { provider: 'wata' as const, baseUrl, timeoutMs: options.timeoutMs ?? 10_000, logger, fetch: options.fetch };
  const http = createHttpClient({ ...common, headers: { authorization: `Bearer ${options.token}` } });
  // The key endpoint needs no auth: the token is not sent to a URL that may be configured elsewhere.
  const keyHttp = createHttpClient(common);
  const api = createWataApi(http, keyHttp, options.publicKeyUrl ?? `${baseUrl}/public-key`, () => now());
  const keys = new WataKeyCache({
    fetchPem: () => api.publicKeyPem(),
    minRefreshIntervalMs: options.publicKeyRefreshMinIntervalMs ?? 60_000,
    maxAgeMs: 24 * 60 * 60 * 1000,
    now: () => now().getTime(),
  });
  const ttlMinutes = Math.min(Math.max(options.linkTtlMinutes ?? 60, 10), 30 * 24 * 60);

  async function readOrder(orderId: string) {
    const transactions = await api.findTransactions(orderId);
    const links = paidPayment(transactions) ? [] : await api.findLinks(orderId);
    return { transactions, links, state: orderState(orderId, transactions, links, now(), { transactions, links }) };
  }

  return {
    name: 'wata',
    // A link lives `ttlMinutes`; the slack covers the time between our payment row and the link, and the clocks.
    capabilities: {
      refund: true,
      partialRefund: true,
      savedMethods: false,
      cancel: false,
      forgetsUnpaidAfterMs: (ttlMinutes + 10) * 60_000,
    },

    async createPayment(input) {
      if (!WATA_CURRENCIES.has(input.currency))
        throw new PaymentError('rejected', `wata: links cannot be in ${input.currency}`, { provider: 'wata' });
      const amount = convertAmount('wata', 'rejected', () => toProviderAmount(input.amountMinor, input.currency));
      // WATA has no idempotency key: an open link or a payment for this order id is the earlier attempt.
      const { links, state } = await readOrder(input.paymentId);
      if (state && (state.amountMinor !== input.amountMinor || state.currency !== input.currency)) {
        throw new PaymentError('rejected', `wata: order ${input.paymentId} exists with another amount`, { provider: 'wata' });
      }
      const open = links.find(
        (l) => l.status === 'Opened' && (l.expirationDateTime ? Date.parse(l.expirationDateTime) > now().getTime() : true),
      );
      if (state?.status === 'succeeded' || state?.status === 'refunded') return { externalId: input.paymentId, status: state.status };
      if (open)
        return {
          externalId: input.paymentId,
          status: 'pending',
          confirmationUrl: open.url,
          ...(open.expirationDateTime ? { expiresAt: new Date(open.expirationDateTime) } : {}),
        };

      const returnUrl = input.returnUrl ?? options.defaultReturnUrl;
      const link = await api.createLink(amount, {
        currency: input.currency,
        description: input.description,
        orderId: input.paymentId,
        ...(returnUrl ? { successRedirectUrl: returnUrl, failRedirectUrl: returnUrl } : {}),
        // WATA checks the lifetime by its own clock (read from the order lookup just made), so one at
        // its 10-minute minimum is never refused as too short when our clock is behind.
        expirationDateTime: new Date(now().getTime() + api.clockOffsetMs() + ttlMinutes * 60_000).toISOString(),
        type: 'OneTime',
      });
      if (wataMinor(link.amount, link.currency) !== input.amountMinor)
        throw new PaymentError('malformed', `wata: link ${link.id} came back with amount ${link.amount}`, { provider: 'wata' });
      logger.info({ provider: 'wata', paymentId: input.paymentId, linkId: link.id }, 'payment link created');
      const created: CreatedPayment = { externalId: input.paymentId, status: 'pending', confirmationUrl: link.url };
      if (link.expirationDateTime) created.expiresAt = new Date(link.expirationDateTime);
      return created;
    },

    // Both searches need the token (401 otherwise) and change nothing.
    checkCredentials: () => readOrder(UNKNOWN_PAYMENT_ID).then(() => 'keys accepted (payment searches answered)'),

    async getPayment(externalId) {
      const { state } = await readOrder(externalId);
      if (!state) throw new PaymentError('not_found', `wata: no links or transactions for order ${externalId}`, { provider: 'wata' });
      return state;
    },

    async refund(input) {
      const transactions = await api.findTransactions(input.externalId);
      const paid = paidPayment(transactions);
      if (!paid)
        throw new PaymentError('rejected', `wata: order ${input.externalId} has no paid transaction to refund`, { provider: 'wata' });
      const amount = convertAmount('wata', 'rejected', () => toProviderAmount(input.amountMinor, paid.currency));
      // No idempotency key either: a refund of the same amount under way that was made for no other
      // request (the caller names those) is this request's earlier attempt.
      const others = new Set(input.otherRefundIds ?? []);
      const earlier = transactions.find(
        (tx) =>
          tx.kind === 'Refund' && tx.status !== 'Declined' && !others.has(tx.id) && wataMinor(tx.amount, tx.currency) === input.amountMinor,
      );
      if (earlier) return { refundId: earlier.id, status: earlier.status === 'Paid' ? 'succeeded' : 'pending' };
      if (refundedMinor(transactions, ['Created', 'Pending', 'Paid']) + input.amountMinor > wataMinor(paid.amount, paid.currency)) {
        throw new PaymentError('rejected', `wata: refund of ${amount} exceeds what is left of order ${input.externalId}`, {
          provider: 'wata',
        });
      }
      const result = await api.refund(paid.id, amount);
      logger.info(
        { provider: 'wata', externalId: input.externalId, refundId: result.transactionId, status: result.transactionStatus },
        'refund requested',
      );
      const status = result.transactionStatus === 'Paid' ? 'succeeded' : result.transactionStatus === 'Declined' ? 'failed' : 'pending';
      return { refundId: result.transactionId, status };
    },

    async cancelPayment() {
      // WATA documents no call that closes a link (wata.md §4–5): it ends at `expirationDateTime`.
      return 'not_supported';
    },

    async verifyNotification(input) {
      return verifyWataNotification(input, { keys, readOrder: async (orderId) => (await readOrder(orderId)).state, now });
    },
  };
}
