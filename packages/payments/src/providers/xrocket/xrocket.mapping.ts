import { decimalToMinor } from '../../money.js';
import type { ProviderPayment, ProviderPaymentStatus } from '../../provider.js';
import type { XRocketInvoice } from './xrocket.schema.js';

/**
 * What we put in an invoice's `payload` (invisible to the payer, echoed by GET and the webhook):
 * our payment id and the fiat price the crypto amount stands for, since xRocket invoices are in
 * crypto only (xrocket-pay.md §3) and settlement compares the fiat amount.
 */
export interface XRocketPayload {
  p: string;
  a: number;
  c: string;
}

export function encodePayload(payload: XRocketPayload): string {
  return JSON.stringify(payload);
}

export function decodePayload(text: string | null | undefined): XRocketPayload | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<XRocketPayload>;
    return typeof value.p === 'string' && Number.isSafeInteger(value.a) && typeof value.c === 'string'
      ? (value as XRocketPayload)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Crypto amounts compared exactly, as integers of 10^-9 (the API keeps 9 decimals, §3). */
export const nano = (value: number | string): number => decimalToMinor(typeof value === 'number' ? value.toFixed(9) : value, 9);

const STATUS: Record<string, ProviderPaymentStatus> = { active: 'pending', paid: 'succeeded', expired: 'cancelled' };

/**
 * The invoice in our terms. A paid invoice counts as the fiat price in its payload only when the
 * payment covers the invoice's amount in the invoice's asset; less is reported pro rata, so
 * settlement sees a mismatch and refuses it (xRocket: "always check payment.paymentAmount", §4.6).
 */
export function toProviderPayment(invoice: XRocketInvoice, raw: unknown): ProviderPayment {
  const payload = decodePayload(invoice.payload);
  const status = STATUS[invoice.status] ?? 'pending';
  const payment = invoice.payment ?? invoice.payments?.[0];
  let amountMinor = payload?.a ?? 0;
  if (status === 'succeeded' && payload) {
    const due = invoice.amount === null || invoice.amount === undefined ? 0 : nano(invoice.amount);
    const paid = payment?.paymentAmount === null || payment?.paymentAmount === undefined ? 0 : nano(payment.paymentAmount);
    if (paid < due) amountMinor = Math.floor((payload.a * paid) / due);
  }
  const currency = payload?.c ?? invoice.currency;
  return {
    externalId: invoice.id,
    status,
    amountMinor,
    currency,
    ...(payload ? { paymentId: payload.p } : {}),
    ...(status === 'succeeded' && (payment?.paid ?? invoice.paid) ? { paidAt: new Date((payment?.paid ?? invoice.paid)!) } : {}),
    ...(status === 'cancelled' ? { failureReason: 'expired' } : {}),
    raw,
  };
}
