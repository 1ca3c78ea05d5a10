import { randomUUID } from 'node:crypto';
import { PaymentError, type CreatePaymentInput } from '../../provider.js';

/** A CreatePaymentInput with fresh ids: 199.00 RUB for customer 42, returning to a t.me link. */
export function paymentInput(overrides: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
  return {
    paymentId: randomUUID(),
    idempotencyKey: randomUUID(),
    amountMinor: 19900,
    currency: 'RUB',
    description: 'VPN 1 month',
    customer: { telegramId: 42, email: 'user@example.com' },
    returnUrl: 'https://t.me/vpn_bot',
    ...overrides,
  };
}

/** The PaymentError `promise` rejects with; throws if it resolves or fails otherwise. */
export async function catchPaymentError(promise: Promise<unknown>): Promise<PaymentError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('error' in outcome && outcome.error instanceof PaymentError) return outcome.error;
  throw new Error(`expected a PaymentError, got ${'error' in outcome ? String(outcome.error) : 'a result'}`);
}
