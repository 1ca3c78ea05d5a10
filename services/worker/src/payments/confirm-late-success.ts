import type { Payment } from '@vpn/db';
import { PaymentError, type PaymentProviders } from '@vpn/payments';
import { providerIdOf, readProviderState } from './read-provider-state.js';

/**
 * A success reported for a payment we failed or cancelled is believed only if the provider says
 * so now: a delayed notification can arrive after the money went back (WATA: paid, refunded, the
 * refund reported first, then the `Paid`). Returns null when the provider confirms the payment as
 * paid with our amount and currency, else why not (for the human who must look at it). A provider
 * that does not answer throws, so the settlement is tried again.
 */
export async function unconfirmedLateSuccess(
  payments: Pick<PaymentProviders, 'has' | 'get'>,
  payment: Payment,
  now: Date,
): Promise<string | null> {
  if (providerIdOf(payment) === null) return 'the payment has no provider id to ask about';
  if (!payments.has(payment.provider)) return `${payment.provider} is not enabled`;
  try {
    const state = await readProviderState(payments, payment, now);
    if (state.status !== 'succeeded') return `the provider says ${state.status}`;
    if (state.amountMinor !== payment.amountMinor || state.currency !== payment.currency)
      return `the provider says paid ${state.amountMinor} ${state.currency}`;
    return null;
  } catch (err) {
    if (err instanceof PaymentError && !err.retryable) return `the provider could not confirm it (${err.code}: ${err.message})`;
    throw err;
  }
}
