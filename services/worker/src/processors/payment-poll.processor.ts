import type { Database } from '@vpn/db';
import type { PaymentProviders } from '@vpn/payments';
import type { PayloadOf, Processor, Producers, paymentPollQueue } from '@vpn/queues';
import { providerIdOf, readProviderState } from '../payments/read-provider-state.js';
import { recordProviderState } from '../payments/record-provider-state.js';

export interface PaymentPollDeps {
  db: Pick<Database, 'repos'>;
  payments: Pick<PaymentProviders, 'has' | 'get'>;
  producers: Pick<Producers, 'settlement' | 'paymentPoll'>;
  /** Default age after which a pending payment is polled. */
  pollAfterMinutes: number;
  clock?: () => Date;
}

/**
 * `payment-poll`, the webhook fallback. `sweep`: every payment still pending after N minutes gets
 * a `payment` job. `payment`: read it from its provider (`readProviderState`: Stars payments are
 * found in the bot's Star transactions by their invoice payload, so one whose forward from the
 * client bot failed is settled here); anything but pending goes down the same settlement path as
 * a notification (event `poll:<provider>:<externalId>:<status>`). A `payment` poll of a payment
 * we failed or cancelled (the bot asks when a customer cancels one the provider already has paid)
 * acts only on a success, which billing settles as a late success.
 */
export function createPaymentPollProcessor(deps: PaymentPollDeps): Processor<PayloadOf<typeof paymentPollQueue>> {
  const now = deps.clock ?? (() => new Date());
  return async (payload, { log }) => {
    if (payload.scope === 'sweep') {
      const minutes = payload.olderThanMinutes ?? deps.pollAfterMinutes;
      const pending = await deps.db.repos.payments.listPendingOlderThan(new Date(now().getTime() - minutes * 60_000), 500);
      const polled = pending.filter((p) => providerIdOf(p) !== null && deps.payments.has(p.provider));
      for (const p of polled) await deps.producers.paymentPoll.add({ scope: 'payment', paymentId: p.id });
      if (polled.length > 0) log.info({ polled: polled.length }, 'pending payments queued for polling');
      return { polled: polled.length };
    }
    const payment = await deps.db.repos.payments.get(payload.paymentId);
    const closed = payment?.status === 'failed' || payment?.status === 'cancelled';
    if (!payment || !(payment.status === 'pending' || closed) || providerIdOf(payment) === null) return { outcome: 'nothing_to_poll' };
    if (!deps.payments.has(payment.provider)) return { outcome: 'provider_disabled' };
    const state = await readProviderState(deps.payments, payment, now());
    if (state.status === 'pending') return { outcome: 'still_pending' };
    // For a payment we closed only money is news: billing settles it as a late success.
    if (closed && state.status !== 'succeeded') return { outcome: 'still_closed' };
    const recorded = await recordProviderState(deps, payment, state);
    log.info({ paymentId: payment.id, status: state.status, ...recorded }, 'payment state read from the provider');
    return { outcome: state.status };
  };
}
