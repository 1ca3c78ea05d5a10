/**
 * The one contract every payment provider adapter fulfils. Amounts are integers in minor units
 * (kopecks, cents, stars); each adapter converts to the provider's format ("100.00" strings,
 * floats in a currency's units, whole stars).
 */

export type ProviderName = 'yookassa' | 'cryptopay' | 'stars' | 'wata' | 'heleket' | 'platega' | 'xrocket' | 'severpay';

export type ProviderPaymentStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled' | 'refunded';

export interface CreatePaymentInput {
  /** Our payment id (uuid); providers carry it back in metadata / payload / order id. */
  paymentId: string;
  /** Sent as the provider's idempotency key where it has one, so a retried create is one payment. */
  idempotencyKey: string;
  amountMinor: number;
  /** ISO 4217 code, or XTR for Telegram Stars. */
  currency: string;
  description: string;
  /** Short product title (Telegram Stars invoices: 1–32 characters); defaults to the description. */
  title?: string;
  customer: { telegramId: number; email?: string; phone?: string };
  /** Where the provider sends the customer after paying (a t.me link back to the bot). */
  returnUrl?: string;
  /** Ask the provider to save the method for auto-renew (YooKassa). */
  savePaymentMethod?: boolean;
  /** Charge a saved method without the customer (auto-renew). */
  savedPaymentMethodId?: string;
}

export interface CreatedPayment {
  externalId: string;
  status: ProviderPaymentStatus;
  /** A URL to open (card page, crypto invoice, WATA link). */
  confirmationUrl?: string;
  /** Telegram Stars: what the bot passes to sendInvoice. */
  invoice?: { title: string; description: string; payload: string; currency: 'XTR'; prices: Array<{ label: string; amount: number }> };
  expiresAt?: Date;
  /**
   * Saving the method was asked for and the provider refused it (a YooKassa shop without
   * recurring payments: 403 "Forbidden to save payment method"); the payment was made without it.
   */
  savePaymentMethodRefused?: boolean;
}

export interface ProviderPayment {
  externalId: string;
  status: ProviderPaymentStatus;
  amountMinor: number;
  currency: string;
  /** Our payment id, as carried back by the provider. */
  paymentId?: string;
  paidAt?: Date;
  /** A saved method usable for auto-renew, when the customer agreed to save it. */
  savedPaymentMethodId?: string;
  /** Why a payment failed or was cancelled, in the provider's words (YooKassa `insufficient_funds`, WATA error code). */
  failureReason?: string;
  raw: unknown;
}

/** A refund request; `idempotencyKey` makes a retried refund one refund where the provider allows it. */
export interface RefundInput {
  externalId: string;
  amountMinor: number;
  idempotencyKey: string;
  reason?: string;
  /** The payment's currency, when known (saves YooKassa a re-read of the payment). */
  currency?: string;
  /** Who paid: Stars refunds need the Telegram user id, YooKassa refund receipts need an email or phone. */
  customer?: { telegramId: number; email?: string; phone?: string };
  /**
   * The provider's ids of refunds of this payment already made for other requests (other
   * idempotency keys), from the caller's records. A provider without idempotency keys (WATA) takes
   * an earlier refund of the same amount for this request's earlier attempt only if it is not one of these.
   */
  otherRefundIds?: readonly string[];
}

export interface RefundResult {
  refundId: string;
  status: 'pending' | 'succeeded' | 'failed';
}

/** What a provider can do, so callers (admin refunds, auto-renew) can decide before trying. */
export interface ProviderCapabilities {
  /** Refunds through the API (CryptoPay has none: a refund is a manual transfer). */
  refund: boolean;
  /** A refund of part of a payment (YooKassa, WATA); Telegram's refundStarPayment gives back the whole charge. */
  partialRefund: boolean;
  /** Charging a saved payment method without the customer (YooKassa). */
  savedMethods: boolean;
  /** Closing an unpaid payment at the provider so it can no longer be paid (Crypto Pay `deleteInvoice`). */
  cancel: boolean;
  /**
   * A payment this long after its creation can no longer be paid, and the provider may no longer
   * know it if it never was (WATA deletes expired links; a Stars invoice is refused at
   * pre-checkout and Telegram keeps nothing unpaid): a `not_found` for it then means "expired".
   * Absent for providers that keep every payment they made.
   */
  forgetsUnpaidAfterMs?: number;
}

/**
 * What asking the provider to close an unpaid payment achieved: `cancelled` (it can no longer be
 * paid), `paid` (too late: the money is in, settlement will hear of it and honour it) or
 * `not_supported` (the provider has no such call for a payment in this state; it ends on its own).
 */
export type CancelResult = 'cancelled' | 'paid' | 'not_supported';

/** A notification that passed verification; `eventId` is unique per provider and event. */
export interface VerifiedNotification {
  provider: ProviderName;
  eventId: string;
  externalId: string;
  paymentId?: string;
  status: ProviderPaymentStatus;
  amountMinor: number;
  currency: string;
  occurredAt: Date;
  savedPaymentMethodId?: string;
  /** See ProviderPayment.failureReason. */
  failureReason?: string;
  /** Who paid, when the provider tells us (Telegram Stars): store it for refunds. */
  customerTelegramId?: number;
  /**
   * Present on refund events (YooKassa `refund.succeeded`, WATA refund webhooks, Stars
   * `refunded_payment`). `status` is then the payment's resulting status: `refunded` once the
   * whole amount is back with the customer, `succeeded` after a partial or a failed refund;
   * `amountMinor` is the refund's amount.
   */
  refund?: { refundId: string; amountMinor: number; status: 'succeeded' | 'failed' };
  raw: unknown;
}

export interface IncomingNotification {
  /** The exact bytes received: signatures are computed over them, never over re-serialised JSON. */
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** The sender's IP (after trusted proxies), for providers verified by address (YooKassa). */
  ip: string;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  readonly capabilities: ProviderCapabilities;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  getPayment(externalId: string): Promise<ProviderPayment>;
  refund(input: RefundInput): Promise<RefundResult>;
  /**
   * Closes an unpaid payment at the provider where its API allows it (the customer cancelled in
   * the bot). Never needed for correctness: a payment made anyway arrives as a late success.
   */
  cancelPayment(externalId: string): Promise<CancelResult>;
  /**
   * Verifies and parses a webhook; throws PaymentError 'forged' (bad or missing signature, sender
   * not allowed, claims that contradict the provider), 'malformed' (not the provider's format) or
   * 'replayed' (authentic but stale: outside the replay window or superseded by a later state —
   * safe to acknowledge with 200 and change nothing).
   */
  verifyNotification(input: IncomingNotification): Promise<VerifiedNotification>;
  /**
   * A read-only call that needs the keys (nothing is created or changed), for `pnpm ops:check`:
   * resolves with a short, secret-free note of what the provider answered; throws PaymentError when
   * the keys are refused (`not_configured`) or the provider cannot be reached. Absent where the API
   * has no such call (Sever Pay: create and get only, and how it refuses a bad signature on a get
   * is undocumented; Telegram Stars: no keys of its own, it is the client bot's token).
   */
  checkCredentials?(): Promise<string>;
}

export type PaymentErrorCode =
  'forged' | 'malformed' | 'replayed' | 'not_found' | 'rejected' | 'unreachable' | 'timeout' | 'not_configured';

export class PaymentError extends Error {
  constructor(
    readonly code: PaymentErrorCode,
    message: string,
    readonly details: {
      status?: number;
      provider?: ProviderName;
      /** The provider's own error code or name (`invalid_request`, `UNAUTHORIZED`, `TRA_NotEnoughFunds`), for logs and decisions. */
      providerCode?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'PaymentError';
  }

  get retryable(): boolean {
    return this.code === 'unreachable' || this.code === 'timeout' || (this.details.status ?? 0) >= 500;
  }

  /**
   * The provider refused us, not the customer's bank: our credentials (a rotated key, 401), a
   * permission the shop lacks (recurring payments switched off, 403) or missing configuration.
   * Nothing was charged and the customer can do nothing about it; an operator can.
   */
  get providerSide(): boolean {
    const status = this.details.status ?? 0;
    return this.code === 'not_configured' || status === 401 || status === 403;
  }
}
