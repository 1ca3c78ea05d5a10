import { isBillingError, type Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import { PaymentError, type PaymentProviders } from '@vpn/payments';
import type { autoRenewQueue, PayloadOf, Processor, Producers } from '@vpn/queues';
import { dispatchOutbox } from '../outbox/dispatch-outbox.js';
import { recordProviderState } from '../payments/record-provider-state.js';
import { sweepRenewals } from '../auto-renew/renewal-sweep.js';

export interface AutoRenewDeps {
  db: Pick<Database, 'repos'>;
  billing: Pick<Billing, 'autoRenew' | 'ledger'>;
  payments: Pick<PaymentProviders, 'has' | 'get'>;
  producers: Pick<Producers, 'autoRenew' | 'settlement' | 'provisioning' | 'notifications'>;
  clock?: () => Date;
}

/**
 * `auto-renew`. `sweep`: billing lists what is due, page by page; one `attempt` job each (job id
 * per subscription, end and attempt), paced per provider (see `sweepRenewals`). `attempt`: billing creates (or finds again) the renewal
 * payment, the worker charges the saved method with the payment's idempotency key, and the
 * outcome takes the usual road: succeeded → stored as a provider state and settled (the
 * subscription extended once); declined → `recordRenewalFailure` (retry in 24 h, or auto-renew
 * off after the second failure, the customer told each time); refused by the provider on its own
 * side (401, 403: a rotated key, recurring payments off) → `recordProviderFailure` (nothing
 * counted or told, retried within the hour, operators alerted); pending → the webhook or the poll
 * settles it. A provider that does not answer retries the job; the idempotency key keeps it one charge.
 */
export function createAutoRenewProcessor(deps: AutoRenewDeps): Processor<PayloadOf<typeof autoRenewQueue>> {
  const now = deps.clock ?? (() => new Date());
  return async (payload, { log }) => {
    /** A declined charge counts as a renewal failure (retry in 24 h, or auto-renew off), told to the customer. */
    const declined = async (paymentId: string, reason: string, detail?: string) => {
      try {
        await deps.billing.autoRenew.recordRenewalFailure(paymentId, reason);
      } catch (err) {
        // The provider's own notification closed it first: the failure is already on record.
        if (!isBillingError(err, 'ILLEGAL_TRANSITION')) throw err;
      }
      await dispatchOutbox({ ...deps, logger: log });
      log.warn({ paymentId, reason, detail }, 'auto-renew charge declined or refused');
      return { outcome: 'declined', paymentId };
    };
    if (payload.scope === 'sweep') return sweepRenewals(deps, now(), log);
    const started = await deps.billing.autoRenew.startRenewal(Number(payload.subscriptionId));
    if (started.outcome === 'skip') return { outcome: 'skipped', reason: started.reason };
    const { payment } = started;
    await dispatchOutbox({ ...deps, logger: log }); // the "charging" notice
    if (payment.status !== 'pending') return { outcome: 'already_decided', status: payment.status };
    if (!deps.payments.has(payment.provider)) return { outcome: 'provider_disabled' };
    const provider = deps.payments.get(payment.provider);
    const user = await deps.db.repos.users.findById(payment.userId);
    try {
      const charged = await provider.createPayment({
        paymentId: payment.id,
        // Our payment id: unique per renewal attempt, stable across retries of this job, and in the
        // character set every provider accepts (billing's own key has colons YooKassa refuses).
        idempotencyKey: payment.id,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        description: 'VPN subscription renewal',
        customer: { telegramId: user?.telegramId ?? 0, ...(user?.email ? { email: user.email } : {}) },
        savedPaymentMethodId: started.savedPaymentMethodId,
      });
      if (payment.externalId === null) await deps.billing.ledger.attachExternal(payment.id, { externalId: charged.externalId });
      if (charged.status === 'pending') return { outcome: 'pending', paymentId: payment.id };
      // Read back the full state (amount, method) before acting on it.
      const state = await provider.getPayment(charged.externalId);
      log.info({ paymentId: payment.id, status: state.status, attempt: started.attempt }, 'auto-renew charge decided');
      if (state.status === 'succeeded') {
        await recordProviderState(deps, (await deps.db.repos.payments.get(payment.id)) ?? payment, state);
        return { outcome: 'succeeded', paymentId: payment.id };
      }
      if (state.status === 'pending') return { outcome: 'pending', paymentId: payment.id };
      return await declined(payment.id, state.failureReason ?? state.status);
    } catch (err) {
      // Our key or the shop's permissions, not the customer's bank: billing retries it within the hour and alerts operators.
      if (err instanceof PaymentError && err.providerSide) {
        const { status, providerCode } = err.details;
        await deps.billing.autoRenew.recordProviderFailure(payment.id, {
          code: err.code,
          message: err.message,
          ...(status !== undefined ? { status } : {}),
          ...(providerCode !== undefined ? { providerCode } : {}),
        });
        return { outcome: 'provider_failed', paymentId: payment.id };
      }
      if (err instanceof PaymentError && !err.retryable) return declined(payment.id, err.code, err.message);
      throw err;
    }
  };
}
