import { fromProviderAmount, toProviderAmount } from '../../money.js';
import { convertAmount, optionalDate } from '../../parse.js';
import type { CreatePaymentInput, ProviderPayment, ProviderPaymentStatus } from '../../provider.js';
import type { YooPayment } from './yookassa.schema.js';

/** 54-FZ receipt settings (yookassa.md §8). */
export interface YooKassaReceiptOptions {
  /** Send a `receipt` with every payment and refund (required when the shop uses "Чеки от ЮKassa"). */
  enabled: boolean;
  /** 1 = no VAT … 12 = 22/122 (yookassa.md §8). */
  vatCode: number;
  /** `service` for a VPN subscription. */
  paymentSubject: string;
  /** `full_payment` (or `full_prepayment`). */
  paymentMode: string;
  /** Used when the customer gave no email or phone: YooKassa's own receipts need an email. */
  fallbackEmail?: string;
}

/** Cancellations that are nobody's decline: the customer walked away or we cancelled. */
const CANCELLED_REASONS = new Set(['expired_on_confirmation', 'expired_on_capture', 'canceled_by_merchant', 'deal_expired']);

export function amountOf(payment: { amount: { value: string; currency: string } }): number {
  return convertAmount('yookassa', 'malformed', () => fromProviderAmount(payment.amount.value, payment.amount.currency));
}

/**
 * pending and waiting_for_capture are pending (we create one-stage payments, so the latter only
 * appears for payments made elsewhere); canceled is `cancelled` when it expired or the merchant
 * cancelled it, `failed` when the bank or YooKassa declined it (insufficient_funds, fraud…);
 * succeeded becomes `refunded` once the whole amount has been returned.
 */
export function mapPaymentStatus(payment: YooPayment): ProviderPaymentStatus {
  switch (payment.status) {
    case 'pending':
    case 'waiting_for_capture':
      return 'pending';
    case 'succeeded': {
      const refunded = payment.refunded_amount
        ? convertAmount('yookassa', 'malformed', () =>
            fromProviderAmount(payment.refunded_amount!.value, payment.refunded_amount!.currency),
          )
        : 0;
      return refunded > 0 && refunded >= amountOf(payment) ? 'refunded' : 'succeeded';
    }
    case 'canceled':
      return CANCELLED_REASONS.has(payment.cancellation_details?.reason ?? '') ? 'cancelled' : 'failed';
  }
}

/** Our view of a YooKassa payment. */
export function toProviderPayment(payment: YooPayment, raw: unknown): ProviderPayment {
  const paymentId = payment.metadata?.paymentId;
  return {
    externalId: payment.id,
    status: mapPaymentStatus(payment),
    amountMinor: amountOf(payment),
    currency: payment.amount.currency,
    ...(typeof paymentId === 'string' ? { paymentId } : {}),
    ...(payment.status === 'succeeded' ? { paidAt: optionalDate(payment.captured_at) ?? optionalDate(payment.created_at) } : {}),
    ...(payment.payment_method?.saved ? { savedPaymentMethodId: payment.payment_method.id } : {}),
    ...(payment.cancellation_details ? { failureReason: payment.cancellation_details.reason } : {}),
    raw,
  };
}

/** Truncates to `max` characters without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

type Customer = { email?: string; phone?: string } | undefined;

/** The 54-FZ receipt for one VPN item at the full price; undefined when receipts are off. */
export function buildReceipt(
  options: YooKassaReceiptOptions,
  customer: Customer,
  description: string,
  amount: { value: string; currency: string },
): Record<string, unknown> | undefined {
  if (!options.enabled) return undefined;
  const email = customer?.email ?? (customer?.phone ? undefined : options.fallbackEmail);
  const phone = customer?.phone?.replace(/\D/g, '');
  return {
    customer: { ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
    items: [
      {
        description: truncate(description, 128),
        quantity: 1,
        amount,
        vat_code: options.vatCode,
        payment_subject: options.paymentSubject,
        payment_mode: options.paymentMode,
      },
    ],
  };
}

/**
 * The body of `POST /payments`: one-stage (`capture: true`), our payment id in metadata, a
 * redirect confirmation for a customer, or `payment_method_id` and no confirmation for an
 * auto-renew charge of a saved method.
 */
export function buildCreateBody(
  input: CreatePaymentInput,
  returnUrl: string | undefined,
  receipt: YooKassaReceiptOptions,
): Record<string, unknown> {
  const amount = { value: toProviderAmount(input.amountMinor, input.currency), currency: input.currency };
  const description = truncate(input.description, 128);
  const saved = input.savedPaymentMethodId;
  const body: Record<string, unknown> = {
    amount,
    capture: true,
    description,
    metadata: { paymentId: input.paymentId, telegramId: String(input.customer.telegramId) },
  };
  if (saved) body.payment_method_id = saved;
  else body.confirmation = { type: 'redirect', return_url: returnUrl };
  if (input.savePaymentMethod && !saved) body.save_payment_method = true;
  const receiptBody = buildReceipt(receipt, input.customer, input.description, amount);
  if (receiptBody) body.receipt = receiptBody;
  return body;
}
