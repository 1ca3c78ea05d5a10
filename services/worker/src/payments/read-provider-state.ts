import type { Payment } from '@vpn/db';
import { PaymentError, type PaymentProviders, type ProviderPayment } from '@vpn/payments';

/**
 * The id to ask the provider about: the one recorded at checkout. A Stars payment made before
 * checkout recorded one is found by its invoice payload, which is our payment id.
 */
export function providerIdOf(payment: Payment): string | null {
  return payment.externalId ?? (payment.provider === 'stars' ? payment.id : null);
}

/**
 * What the provider says about `payment` now (the caller checked it has an id and the provider is
 * enabled). A payment the provider does not know (`not_found`) is, for a provider that forgets
 * unpaid payments (`capabilities.forgetsUnpaidAfterMs`), `cancelled` (`expired`) once that time
 * has passed since its creation: nothing at the provider would ever close it. Before that, a Stars
 * payment without a Star transaction is simply unpaid (`pending`: Telegram has no payment until
 * the customer pays); for any other provider the `not_found` stands. A payment made in the last
 * moment still arrives as a late success, confirmed with the provider.
 */
export async function readProviderState(payments: Pick<PaymentProviders, 'get'>, payment: Payment, now: Date): Promise<ProviderPayment> {
  const externalId = providerIdOf(payment) ?? '';
  const provider = payments.get(payment.provider);
  try {
    return await provider.getPayment(externalId);
  } catch (err) {
    if (!(err instanceof PaymentError && err.code === 'not_found')) throw err;
    const ttl = provider.capabilities.forgetsUnpaidAfterMs;
    const stale = ttl !== undefined && now.getTime() - payment.createdAt.getTime() >= ttl;
    if (!stale && payment.provider !== 'stars') throw err;
    const unknown = {
      externalId,
      paymentId: payment.id,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      raw: { notFound: true },
    };
    return stale ? { ...unknown, status: 'cancelled', failureReason: 'expired' } : { ...unknown, status: 'pending' };
  }
}
