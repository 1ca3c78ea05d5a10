import type { Database, Payment } from '@vpn/db';
import type { ProviderPayment } from '@vpn/payments';
import type { Producers } from '@vpn/queues';

export interface RecordStateDeps {
  db: Pick<Database, 'repos'>;
  producers: Pick<Producers, 'settlement'>;
}

/**
 * What a provider told us when we asked (poll, reconciliation, a direct charge) is stored like a
 * notification: a payment_events row with event id `poll:<provider>:<externalId>:<status>` (once
 * per status however often we ask) and a settlement job for it. One settlement path for every
 * source, so a webhook and a poll racing each other still settle once.
 */
export async function recordProviderState(
  deps: RecordStateDeps,
  payment: Payment,
  state: ProviderPayment,
): Promise<{ eventRowId: number; inserted: boolean }> {
  const eventId = `poll:${payment.provider}:${state.externalId}:${state.status}`;
  const notification = {
    provider: payment.provider,
    eventId,
    externalId: state.externalId,
    paymentId: payment.id,
    status: state.status,
    amountMinor: state.amountMinor,
    currency: state.currency,
    occurredAt: (state.paidAt ?? new Date()).toISOString(),
    ...(state.savedPaymentMethodId ? { savedPaymentMethodId: state.savedPaymentMethodId } : {}),
    ...(state.failureReason ? { failureReason: state.failureReason } : {}),
  };
  const { inserted, event } = await deps.db.repos.paymentEvents.insertOnce({
    provider: payment.provider,
    providerEventId: eventId,
    kind: `poll.${state.status}`,
    rawPayload: { notification, raw: state.raw },
    paymentId: payment.id,
  });
  if (!event.processedAt) await deps.producers.settlement.add({ paymentEventId: event.id });
  return { eventRowId: event.id, inserted };
}
