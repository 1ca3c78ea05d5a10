import {
  PaymentError,
  type CreatedPayment,
  type ProviderName,
  type ProviderPayment,
  type ProviderPaymentStatus,
  type VerifiedNotification,
} from './provider.js';

/**
 * A verified notification from the provider's view of the payment (re-read or signed), with
 * `extra` overriding fields for refund events. Optional fields are left out rather than set to
 * undefined, so the stored event stays clean.
 */
export function toVerifiedNotification(
  provider: ProviderName,
  view: ProviderPayment,
  eventId: string,
  occurredAt: Date,
  extra: Partial<VerifiedNotification> = {},
): VerifiedNotification {
  return {
    provider,
    eventId,
    externalId: view.externalId,
    ...(view.paymentId !== undefined ? { paymentId: view.paymentId } : {}),
    status: view.status,
    amountMinor: view.amountMinor,
    currency: view.currency,
    occurredAt,
    ...(view.savedPaymentMethodId !== undefined ? { savedPaymentMethodId: view.savedPaymentMethodId } : {}),
    ...(view.failureReason !== undefined ? { failureReason: view.failureReason } : {}),
    raw: view.raw,
    ...extra,
  };
}

/** What `createPayment` answers: optional fields left out rather than set to undefined. */
export function createdPayment(
  externalId: string,
  status: ProviderPaymentStatus,
  confirmationUrl?: string | null,
  expiresAt?: Date,
): CreatedPayment {
  return {
    externalId,
    status,
    ...(confirmationUrl ? { confirmationUrl } : {}),
    ...(expiresAt && !Number.isNaN(expiresAt.getTime()) ? { expiresAt } : {}),
  };
}

/** `refund` of a provider without a refund API (`capabilities.refund` false): PaymentError `rejected` saying how to refund instead. */
export function refundNotSupported(provider: ProviderName, how: string): Promise<never> {
  return Promise.reject(new PaymentError('rejected', `${provider}: no refund API; ${how}`, { provider }));
}
