import type { Payment } from '@vpn/db';
import { PaymentError, STARS_INVOICE_TTL_MS, type PaymentProviders, type ProviderPayment } from '@vpn/payments';

/**
 * The id to ask the provider about: the one recorded at checkout. A Stars payment made before
 * checkout recorded one is found by its invoice payload, which is our payment id.
 */
export function providerIdOf(payment: Payment): string | null {
  return payment.externalId ?? (payment.provider === 'stars' ? payment.id : null);
}

/**
 * What the provider says about `payment` now (the caller checked it has an id and the provider is
 * enabled). Telegram Stars has no payment until the customer pays, so a Stars payment without a
 * Star transaction is unpaid: `pending` while its invoice can still be paid, and `cancelled`
 * (`expired`) once the invoice is stale (the bot refuses its pre-checkout), because nothing at
 * Telegram would ever close it. A payment made in that last moment still arrives as a late success.
 */
export async function readProviderState(payments: Pick<PaymentProviders, 'get'>, payment: Payment, now: Date): Promise<ProviderPayment> {
  const externalId = providerIdOf(payment) ?? '';
  try {
    return await payments.get(payment.provider).getPayment(externalId);
  } catch (err) {
    if (!(payment.provider === 'stars' && err instanceof PaymentError && err.code === 'not_found')) throw err;
    const stale = now.getTime() - payment.createdAt.getTime() >= STARS_INVOICE_TTL_MS;
    const unpaid = {
      externalId,
      paymentId: payment.id,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      raw: { starTransaction: null },
    };
    return stale ? { ...unpaid, status: 'cancelled', failureReason: 'expired' } : { ...unpaid, status: 'pending' };
  }
}
