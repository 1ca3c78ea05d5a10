import { silentLogger, type Logger } from '@vpn/logger';
import { headerValue, parseJsonBody } from '../../parse.js';
import { PaymentError, type PaymentProvider, type ProviderPayment } from '../../provider.js';
import { isValidStarsForward, STARS_FORWARD_SIGNATURE_HEADER } from './stars.forward.js';
import { starsNotificationFromMessage } from './stars.message.js';
import { STARS_INVOICE_TTL_MS } from './stars.pre-checkout.js';
import type { StarTransactionLike } from './stars.schema.js';

/**
 * The Bot API methods the Stars adapter calls. grammY's `Api` fits as is (`bot.api`), so the
 * worker passes the client bot's Api and nothing here talks HTTP itself.
 */
export interface StarsBotApi {
  refundStarPayment(userId: number, telegramPaymentChargeId: string): Promise<boolean>;
  getStarTransactions?(other?: { offset?: number; limit?: number }): Promise<{ transactions: readonly StarTransactionLike[] }>;
}

export interface StarsOptions {
  /** Needed for refunds and status reads; creation and verification work without it. */
  botApi?: StarsBotApi;
  /** Shared with the client bot to authenticate forwarded `successful_payment` messages. */
  forwardSecret?: string;
  /** Per Bot API call; default 10 s. */
  timeoutMs?: number;
  /** How many pages of 100 transactions `getPayment` scans; default 20. */
  maxTransactionPages?: number;
  logger?: Logger;
}

const title = (text: string, max: number) => Array.from(text.trim()).slice(0, max).join('');

async function withTimeout<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PaymentError('timeout', `stars: ${what} got no answer within ${ms} ms`, { provider: 'stars' })),
      ms,
    );
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A Bot API failure (grammY's GrammyError carries error_code and description) as a PaymentError. */
function botApiError(error: unknown, what: string): PaymentError {
  if (error instanceof PaymentError) return error;
  const e = error as { error_code?: unknown; description?: unknown };
  if (typeof e.error_code === 'number') {
    const description = typeof e.description === 'string' ? e.description : '';
    const code = e.error_code === 429 || e.error_code >= 500 ? 'unreachable' : /NOT_FOUND/i.test(description) ? 'not_found' : 'rejected';
    const providerCode = /[A-Z_]{6,}/.exec(description)?.[0];
    return new PaymentError(code, `stars: ${what} failed: ${description}`, {
      status: e.error_code,
      provider: 'stars',
      ...(providerCode ? { providerCode } : {}),
      cause: error,
    });
  }
  return new PaymentError('unreachable', `stars: ${what} failed`, { provider: 'stars', cause: error });
}

const isUser = (partner: unknown): partner is { type: 'user'; invoice_payload?: string } =>
  (partner as { type?: unknown } | undefined)?.type === 'user';

/**
 * Telegram Stars: no payment server, so `createPayment` returns the invoice for the client bot to
 * send (`sendInvoice` / `createInvoiceLink`, payload = our payment id, whole stars), the proof of
 * payment is the `successful_payment` message the bot forwards, and refunds go through the Bot API.
 */
export function createStarsProvider(options: StarsOptions = {}): PaymentProvider {
  const logger = options.logger ?? silentLogger();
  const timeoutMs = options.timeoutMs ?? 10_000;

  function api(): StarsBotApi {
    if (!options.botApi) throw new PaymentError('not_configured', 'stars: no Bot API was given to the provider', { provider: 'stars' });
    return options.botApi;
  }

  return {
    name: 'stars',
    capabilities: { refund: true, partialRefund: false, savedMethods: false, cancel: false, forgetsUnpaidAfterMs: STARS_INVOICE_TTL_MS },

    async createPayment(input) {
      if (input.currency !== 'XTR')
        throw new PaymentError('rejected', `stars: invoices are in XTR, not ${input.currency}`, { provider: 'stars' });
      if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < 1)
        throw new PaymentError('rejected', `stars: ${input.amountMinor} is not a whole number of stars`, { provider: 'stars' });
      if (Buffer.byteLength(input.paymentId) > 128)
        throw new PaymentError('rejected', 'stars: the payload may be at most 128 bytes', { provider: 'stars' });
      const invoiceTitle = title(input.title ?? input.description, 32);
      const description = title(input.description, 255);
      if (!invoiceTitle || !description)
        throw new PaymentError('rejected', 'stars: an invoice needs a title and a description', { provider: 'stars' });
      // Nothing exists at Telegram until the customer pays: our payment id is the external id until the charge id arrives.
      return {
        externalId: input.paymentId,
        status: 'pending',
        invoice: {
          title: invoiceTitle,
          description,
          payload: input.paymentId,
          currency: 'XTR',
          prices: [{ label: invoiceTitle, amount: input.amountMinor }],
        },
      };
    },

    async getPayment(externalId) {
      const bot = api();
      if (!bot.getStarTransactions)
        throw new PaymentError('not_configured', 'stars: the Bot API given has no getStarTransactions', { provider: 'stars' });
      let payment: StarTransactionLike | undefined;
      let refunded = false;
      for (let page = 0; page < (options.maxTransactionPages ?? 20); page++) {
        const { transactions } = await withTimeout(
          bot.getStarTransactions({ offset: page * 100, limit: 100 }),
          timeoutMs,
          'getStarTransactions',
        ).catch((e: unknown) => {
          throw botApiError(e, 'getStarTransactions');
        });
        for (const tx of transactions) {
          const matches =
            tx.id === externalId ||
            (isUser(tx.source) && tx.source.invoice_payload === externalId) ||
            (payment !== undefined && tx.id === payment.id);
          if (!matches) continue;
          if (isUser(tx.source)) payment = tx;
          else if (isUser(tx.receiver)) refunded = true;
        }
        if (transactions.length < 100) break;
      }
      if (!payment) throw new PaymentError('not_found', `stars: no transaction for ${externalId}`, { provider: 'stars' });
      const source = payment.source as { invoice_payload?: string };
      const view: ProviderPayment = {
        externalId: payment.id,
        status: refunded ? 'refunded' : 'succeeded',
        amountMinor: payment.amount,
        currency: 'XTR',
        paidAt: new Date(payment.date * 1000),
        raw: payment,
      };
      if (source.invoice_payload) view.paymentId = source.invoice_payload;
      return view;
    },

    async refund(input) {
      const userId = input.customer?.telegramId;
      if (userId === undefined) throw new PaymentError('rejected', 'stars: a refund needs the customer Telegram id', { provider: 'stars' });
      try {
        await withTimeout(api().refundStarPayment(userId, input.externalId), timeoutMs, 'refundStarPayment');
      } catch (error) {
        const mapped = botApiError(error, 'refundStarPayment');
        // Refunding twice is refused by Telegram: for us the refund simply happened already.
        if (mapped.details.providerCode !== 'CHARGE_ALREADY_REFUNDED') throw mapped;
      }
      logger.info({ provider: 'stars', externalId: input.externalId, userId }, 'stars refunded');
      return { refundId: input.externalId, status: 'succeeded' };
    },

    async cancelPayment() {
      // Telegram has no call to void an invoice; the bot deletes the invoice message and refuses
      // its pre-checkout once the payment is no longer pending.
      return 'not_supported';
    },

    async verifyNotification(input) {
      if (!options.forwardSecret) throw new PaymentError('not_configured', 'stars: STARS_FORWARD_SECRET is not set', { provider: 'stars' });
      const signature = headerValue(input.headers, STARS_FORWARD_SIGNATURE_HEADER);
      if (!signature) throw new PaymentError('forged', `stars: missing ${STARS_FORWARD_SIGNATURE_HEADER} header`, { provider: 'stars' });
      if (!isValidStarsForward(options.forwardSecret, input.rawBody, signature))
        throw new PaymentError('forged', 'stars: forward signature does not match the body', { provider: 'stars' });
      return starsNotificationFromMessage(parseJsonBody('stars', input.rawBody));
    },
  };
}
