import { headerValue, optionalDate, parseJsonBody, parseWith } from '../../parse.js';
import {
  PaymentError,
  type IncomingNotification,
  type ProviderPayment,
  type ProviderPaymentStatus,
  type VerifiedNotification,
} from '../../provider.js';
import { wataMinor } from './wata.mapping.js';
import { wataWebhookSchema } from './wata.schema.js';
import { isValidWataSignature, WATA_SIGNATURE_HEADER, type WataKeyCache } from './wata.signature.js';

export interface WataVerifyDeps {
  keys: WataKeyCache;
  /** Re-reads the order, for the status a refund leaves the payment in. */
  readOrder: (orderId: string) => Promise<ProviderPayment | undefined>;
  now: () => Date;
}

const PAYMENT_STATUS: Record<string, ProviderPaymentStatus> = {
  Paid: 'succeeded',
  Declined: 'failed',
  Created: 'pending',
  Pending: 'pending',
};

/**
 * Checks `X-Signature` (base64 SHA512withRSA over the raw body) with WATA's public key; when it
 * does not match, the key is refetched once in case WATA rotated it. The event id is
 * `${transactionId}:${transactionStatus}`: WATA dedupes on the transaction, and a transaction
 * reports each status once. The external id is the order id (our payment id).
 */
export async function verifyWataNotification(input: IncomingNotification, deps: WataVerifyDeps): Promise<VerifiedNotification> {
  const signature = headerValue(input.headers, WATA_SIGNATURE_HEADER);
  if (!signature) throw new PaymentError('forged', `wata: missing ${WATA_SIGNATURE_HEADER} header`, { provider: 'wata' });
  let valid = isValidWataSignature(await deps.keys.current(), input.rawBody, signature);
  if (!valid) {
    const fresh = await deps.keys.refreshAfterFailure();
    valid = fresh !== undefined && isValidWataSignature(fresh, input.rawBody, signature);
  }
  if (!valid) throw new PaymentError('forged', 'wata: signature does not match the body', { provider: 'wata' });

  const hook = parseWith('wata', wataWebhookSchema, parseJsonBody('wata', input.rawBody), 'webhook');
  const amountMinor = wataMinor(hook.amount, hook.currency);
  const occurredAt = optionalDate(hook.paymentTime) ?? deps.now();
  const common = {
    provider: 'wata' as const,
    eventId: `${hook.transactionId}:${hook.transactionStatus}`,
    externalId: hook.orderId,
    paymentId: hook.orderId,
    currency: hook.currency,
    occurredAt,
    raw: hook,
  };
  if (hook.kind === 'Payment') {
    const status = PAYMENT_STATUS[hook.transactionStatus] ?? 'pending';
    return { ...common, status, amountMinor, ...(status === 'failed' && hook.errorCode ? { failureReason: hook.errorCode } : {}) };
  }
  if (hook.transactionStatus !== 'Paid' && hook.transactionStatus !== 'Declined') {
    // Refund webhooks report the result (wata.md §6): an intermediate status is not one of them.
    throw new PaymentError('malformed', `wata: refund webhook ${hook.transactionId} in status ${hook.transactionStatus}`, {
      provider: 'wata',
    });
  }
  const order = await deps.readOrder(hook.orderId);
  return {
    ...common,
    status: order?.status ?? (hook.transactionStatus === 'Paid' ? 'refunded' : 'succeeded'),
    amountMinor,
    refund: { refundId: hook.transactionId, amountMinor, status: hook.transactionStatus === 'Paid' ? 'succeeded' : 'failed' },
    ...(hook.errorCode ? { failureReason: hook.errorCode } : {}),
  };
}
