import { isBillingError, type Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import type { PaymentProviders } from '@vpn/payments';
import type { PayloadOf, Processor, Producers, QueueFactory, paymentPollQueue } from '@vpn/queues';
import { sweepCursor } from '../sweeps/sweep-cursor.js';
import { providerIdOf, readProviderState } from '../payments/read-provider-state.js';
import { recordProviderState } from '../payments/record-provider-state.js';

/** Pending payments looked at per sweep (a sweep runs every few minutes). */
const BATCH = 500;
/**
 * A payment without a provider id this old never got one (its checkout failed before the provider
 * answered; an auto-renew charge's retries are long over): nobody can ever tell us its outcome.
 */
const UNPOLLABLE_AFTER_MS = 86_400_000;
export const UNPOLLABLE_REASON = 'unpollable: no provider payment id';

export interface PaymentPollDeps {
  db: Pick<Database, 'repos'>;
  billing: Pick<Billing, 'ledger'>;
  queues: Pick<QueueFactory, 'redis' | 'prefix'>;
  payments: Pick<PaymentProviders, 'has' | 'get'>;
  producers: Pick<Producers, 'settlement' | 'paymentPoll'>;
  /** Default age after which a pending payment is polled. */
  pollAfterMinutes: number;
  clock?: () => Date;
}

/**
 * `payment-poll`, the webhook fallback. `sweep`: the next batch of payments still pending after N
 * minutes (by a cursor carried between runs, so the oldest never starve the rest) gets a
 * `payment` job each; one that has no provider id a day on can never be polled and is cancelled
 * with a reason. `payment`: read it from its provider (`readProviderState`: Stars payments are
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
      const at = now();
      const minutes = payload.olderThanMinutes ?? deps.pollAfterMinutes;
      const cursor = sweepCursor<{ createdAt: Date; id: string }>(deps.queues, 'payment-poll', ['createdAt']);
      const after = await cursor.read();
      const pending = await deps.db.repos.payments.listPendingOlderThan(new Date(at.getTime() - minutes * 60_000), {
        ...(after ? { after } : {}),
        limit: BATCH,
      });
      const polled = pending.filter((p) => providerIdOf(p) !== null && deps.payments.has(p.provider));
      await deps.producers.paymentPoll.addBulk(polled.map((p) => ({ payload: { scope: 'payment' as const, paymentId: p.id } })));
      // Closed, so they leave the candidates; a disabled provider's payments wait for it to come back.
      const never = pending.filter((p) => providerIdOf(p) === null && at.getTime() - p.createdAt.getTime() >= UNPOLLABLE_AFTER_MS);
      for (const p of never) {
        try {
          await deps.billing.ledger.cancelPayment(p.id, UNPOLLABLE_REASON);
        } catch (err) {
          // Decided meanwhile (a late checkout, a staff action): nothing left to close.
          if (!isBillingError(err, 'ILLEGAL_TRANSITION')) throw err;
        }
      }
      const last = pending.at(-1);
      await cursor.write(pending.length < BATCH || !last ? undefined : { createdAt: last.createdAt, id: last.id });
      if (polled.length > 0 || never.length > 0) log.info({ polled: polled.length, closed: never.length }, 'pending payments swept');
      return { polled: polled.length, closed: never.length };
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
