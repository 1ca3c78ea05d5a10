/**
 * The one contract every payment provider adapter fulfils. Amounts are integers in minor units
 * (kopecks, cents, stars); each adapter converts to the provider's format ("100.00" strings,
 * floats in a currency's units, whole stars).
 */

export type ProviderName = 'yookassa' | 'cryptopay' | 'stars' | 'wata';

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
  raw: unknown;
}

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
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  getPayment(externalId: string): Promise<ProviderPayment>;
  refund(input: { externalId: string; amountMinor: number; idempotencyKey: string; reason?: string }): Promise<{ refundId: string; status: 'pending' | 'succeeded' | 'failed' }>;
  /** Verifies and parses a webhook; throws PaymentError 'forged' | 'malformed' | 'replayed'. */
  verifyNotification(input: IncomingNotification): Promise<VerifiedNotification>;
}

export type PaymentErrorCode = 'forged' | 'malformed' | 'replayed' | 'not_found' | 'rejected' | 'unreachable' | 'timeout' | 'not_configured';

export class PaymentError extends Error {
  constructor(
    readonly code: PaymentErrorCode,
    message: string,
    readonly details: { status?: number; provider?: ProviderName; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'PaymentError';
  }

  get retryable(): boolean {
    return this.code === 'unreachable' || this.code === 'timeout' || (this.details.status ?? 0) >= 500;
  }
}
