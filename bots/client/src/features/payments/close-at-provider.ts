import type { Payment } from '@vpn/db';
import type { ClientContext } from '../../context.js';
import type { FeatureDeps } from '../feature-deps.js';

/**
 * After the customer cancelled `payment` in the bot (the ledger already says `cancelled`), closes
 * it at the provider too where the provider's API allows it (Crypto Pay deletes the invoice;
 * YooKassa, WATA and Stars have no such call for an unpaid payment, which ends on its own). Best
 * effort: a failure is logged and changes nothing, because a payment made anyway is settled as a
 * late success. If the provider says it was paid already, the worker is asked to read it now.
 */
export async function closeAtProvider(ctx: ClientContext, deps: FeatureDeps, payment: Payment): Promise<void> {
  if (payment.externalId === null || !deps.payments.has(payment.provider)) return;
  const provider = deps.payments.get(payment.provider);
  if (!provider.capabilities.cancel) return;
  try {
    const result = await provider.cancelPayment(payment.externalId);
    ctx.logger.info({ paymentId: payment.id, provider: payment.provider, result }, 'payment closed at the provider');
    if (result === 'paid') await deps.producers.paymentPoll.add({ scope: 'payment', paymentId: payment.id });
  } catch (err) {
    ctx.logger.warn(
      { err, paymentId: payment.id, provider: payment.provider },
      'could not close the payment at the provider; it ends on its own',
    );
  }
}
