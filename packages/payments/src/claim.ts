import { PaymentError, type ProviderName, type ProviderPayment, type ProviderPaymentStatus } from './provider.js';

/**
 * For providers whose notifications are confirmed by re-reading the payment (Heleket, Platega,
 * xRocket Pay, Sever Pay): the provider's own view, where an id it does not know means the
 * notification was made up.
 */
export async function rereadForNotification(
  provider: ProviderName,
  externalId: string,
  read: (externalId: string) => Promise<ProviderPayment>,
): Promise<ProviderPayment> {
  try {
    return await read(externalId);
  } catch (error) {
    if (error instanceof PaymentError && error.code === 'not_found')
      throw new PaymentError('forged', `${provider}: payment ${externalId} is unknown to the provider`, { provider });
    throw error;
  }
}

/**
 * Compares what a notification claims with the re-read payment. A claim of an earlier state that
 * the payment has since left (a pending or a cancel arriving after the payment) is stale:
 * `replayed`, acknowledged and ignored. A claim the payment has not reached (paid while it is still
 * pending) is `forged`. We then act on the re-read payment, never on the claim.
 */
export function checkClaim(provider: ProviderName, claimed: ProviderPaymentStatus, claimedText: string, view: ProviderPayment): void {
  if (claimed === view.status) return;
  if (view.status !== 'pending') {
    throw new PaymentError('replayed', `${provider}: ${claimedText} of ${view.externalId} is superseded by ${view.status}`, { provider });
  }
  throw new PaymentError('forged', `${provider}: claims ${claimedText} but ${view.externalId} is ${view.status}`, { provider });
}
