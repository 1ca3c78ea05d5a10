import { decimalToMinor } from '../../money.js';
import type { EmulatorResponse } from '../shared/http-server.js';
import type { YooKassaStore } from './yookassa-store.js';
import { checkAmount, checkConfirmation, checkMetadata, checkReceipt, invalid, isRecord, yooError } from './yookassa-validation.js';

export interface RouteContext {
  store: YooKassaStore;
  baseUrl: string;
  requireReceipt: boolean;
  /** See YooKassaEmulatorOptions.recurring. */
  recurring: boolean;
}

/**
 * `POST /payments`: a customer payment with a redirect confirmation, or (with
 * `payment_method_id`) a charge of a saved method, settled at once by the method's outcome.
 */
export function createPaymentRoute(ctx: RouteContext, body: unknown): EmulatorResponse {
  if (!isRecord(body)) return invalid('Request body must be a JSON object');
  const amount = checkAmount(body.amount, 'amount');
  if (!amount.ok) return amount.error;
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 128)) {
    return invalid('description must be a string up to 128 characters', 'description');
  }
  const metadataError = checkMetadata(body.metadata);
  if (metadataError) return metadataError;
  const receiptError = checkReceipt(body.receipt, amount.value.minor, ctx.requireReceipt);
  if (receiptError) return receiptError;
  const fields = {
    amount: amount.value.amount,
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
    ...(isRecord(body.metadata) ? { metadata: body.metadata as Record<string, string> } : {}),
  };
  const capture = body.capture === true;

  if (body.payment_method_id !== undefined) {
    const method = typeof body.payment_method_id === 'string' ? ctx.store.savedMethods.get(body.payment_method_id) : undefined;
    if (!method) return invalid('Payment method is not found or not saved', 'payment_method_id');
    // A shop whose autopayments were switched off may not charge a saved method either.
    if (!ctx.recurring) return yooError(403, 'forbidden', 'Forbidden to make recurring payments');
    const payment = ctx.store.create(fields, { capture, save: true });
    if (method.outcome === 'succeed') ctx.store.pay(payment.id, method);
    else ctx.store.cancel(payment.id, method.outcome, method.outcome === 'permission_revoked' ? 'yoo_money' : 'payment_network');
    return { status: 200, body: structuredClone(payment) };
  }

  if (body.save_payment_method === true && !ctx.recurring) return yooError(403, 'forbidden', 'Forbidden to save payment method');
  const confirmation = checkConfirmation(body.confirmation);
  if (!confirmation.ok) return confirmation.error;
  const payment = ctx.store.create(fields, {
    capture,
    save: body.save_payment_method === true,
    confirmation: { type: 'redirect', return_url: confirmation.value.return_url, confirmation_url: '' },
  });
  payment.confirmation = {
    type: 'redirect',
    return_url: confirmation.value.return_url,
    confirmation_url: `${ctx.baseUrl}/checkout/${payment.id}`,
  };
  return { status: 200, body: structuredClone(payment) };
}

/** `POST /refunds`: full or partial refunds of a succeeded payment, up to what is left. */
export function refundRoute(ctx: RouteContext, body: unknown): EmulatorResponse {
  if (!isRecord(body)) return invalid('Request body must be a JSON object');
  const payment = typeof body.payment_id === 'string' ? ctx.store.payments.get(body.payment_id) : undefined;
  if (!payment) return invalid('Payment not found or forbidden', 'payment_id');
  const amount = checkAmount(body.amount, 'amount');
  if (!amount.ok) return amount.error;
  if (amount.value.amount.currency !== payment.amount.currency)
    return invalid('Refund currency differs from the payment currency', 'amount.currency');
  if (payment.status !== 'succeeded' || !payment.refundable) return invalid(`Payment ${payment.id} is not refundable`, 'payment_id');
  const left = decimalToMinor(payment.amount.value, 2) - ctx.store.refundedMinor(payment);
  if (amount.value.minor > left) return invalid('Refund amount exceeds the amount available for refund', 'amount.value');
  const receiptError = checkReceipt(body.receipt, amount.value.minor, ctx.requireReceipt);
  if (receiptError) return receiptError;
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 250)) {
    return invalid('description must be a string up to 250 characters', 'description');
  }
  const refund = ctx.store.refund(payment, amount.value.amount, typeof body.description === 'string' ? body.description : undefined);
  return { status: 200, body: structuredClone(refund) };
}
