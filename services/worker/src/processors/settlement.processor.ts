import { isBillingError, isOtherCharge, type Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import type { PaymentProviders } from '@vpn/payments';
import { metrics } from '@vpn/metrics';
import { PermanentJobError, type PayloadOf, type Processor, type ProcessorContext, type settlementQueue } from '@vpn/queues';
import type { CrashStep } from '../deps.js';
import type { OutboxKicker } from '../outbox/dispatch-outbox.js';
import { unconfirmedLateSuccess } from '../payments/confirm-late-success.js';
import { mismatchReason } from './notification-mismatch.js';
import { storedPayloadSchema } from './stored-notification.schema.js';

export interface SettlementDeps {
  db: Pick<Database, 'repos'>;
  billing: Pick<Billing, 'settlement' | 'ledger'>;
  /** Refunds a second charge of an already charged payment (Telegram Stars); confirms late successes. */
  payments: Pick<PaymentProviders, 'has' | 'get'>;
  /** Dispatches the outbox rows settlement wrote, soon and batched with other settlements'. */
  outbox: OutboxKicker;
  crashPoint?: (step: CrashStep) => void;
}

/**
 * `settlement`: load the stored event; refuse it if it does not match its payment (another
 * amount, currency or provider: recorded on the event, never settled); a success for a payment we
 * failed or cancelled only once the provider confirms it now (`unconfirmedLateSuccess`; one it
 * does not confirm is recorded on the event and as an `alert.late_success_unconfirmed` audit row
 * for a human, and grants nothing); hand it to
 * `billing.settlePayment` (one transaction under the payment's row lock, which also marks the
 * event processed); then kick the outbox dispatcher so the provisioning and notice rows that
 * settlement wrote become jobs at once, batched across settlements. Idempotent: a processed event
 * is skipped, and a retry after a crash at any point finds either nothing committed or an already
 * settled payment.
 */
export function createSettlementProcessor(deps: SettlementDeps): Processor<PayloadOf<typeof settlementQueue>> {
  const settle = settlementSteps(deps);
  // `settlements_total` by outcome: the "settlement failing" alert counts `error`.
  return async (payload, ctx) => {
    try {
      const result = await settle(payload, ctx);
      metrics.settlements.inc({ outcome: result.outcome });
      return result;
    } catch (err) {
      metrics.settlements.inc({ outcome: 'error' });
      throw err;
    }
  };
}

function settlementSteps(deps: SettlementDeps) {
  return async (
    { paymentEventId }: PayloadOf<typeof settlementQueue>,
    { log }: ProcessorContext,
  ): Promise<{ outcome: string; [detail: string]: unknown }> => {
    const event = await deps.db.repos.paymentEvents.get(Number(paymentEventId));
    if (!event) throw new PermanentJobError(`payment event ${paymentEventId} does not exist`, 'not_found');
    if (event.processedAt) return { outcome: 'already_processed' };
    deps.crashPoint?.('settlement:before-settle');
    const parsed = storedPayloadSchema.safeParse(event.rawPayload);
    if (!parsed.success) throw new PermanentJobError(`payment event ${paymentEventId} has no readable notification`, 'malformed');
    const n = parsed.data.notification;
    const payment = event.paymentId ? await deps.db.repos.payments.get(event.paymentId) : null;
    // Another charge of a settled Stars payment is billing's to judge (refund it, or ignore its refund).
    const mismatch = payment && !isOtherCharge(payment, n.externalId) ? mismatchReason(n, payment) : null;
    if (mismatch) {
      // Genuine but not about this payment as we know it: recorded on the event for a human,
      // never settled, the payment left exactly as it was.
      await deps.db.repos.paymentEvents.markFailed(event.id, `mismatch: ${mismatch}`);
      log.error(
        { paymentEventId, paymentId: event.paymentId, reason: mismatch, amountMinor: n.amountMinor, currency: n.currency },
        'notification does not match its payment; not settled',
      );
      return { outcome: 'mismatch', reason: mismatch };
    }

    if (n.refund && n.status !== 'refunded') {
      // A part given back (a staff refund that was still processing when asked, or one made in the
      // provider's dashboard): written to the payment's refunds with its days, once by its refund
      // id (the staff path records the same id when the provider answers at once). A failed refund
      // changes nothing.
      if (payment && n.refund.status === 'succeeded') {
        const refund = n.refund;
        try {
          await deps.billing.ledger.refundPart(payment.id, {
            refundId: refund.refundId,
            amountMinor: refund.amountMinor,
            actor: `provider:${n.provider}`,
            reason: 'provider_refund',
          });
        } catch (err) {
          if (!isBillingError(err)) throw err;
          await deps.db.repos.paymentEvents.markFailed(event.id, `refund not recorded: ${err.message}`);
          log.error(
            { paymentEventId, paymentId: payment.id, refund, err },
            'a refund the provider made could not be recorded; left for a human',
          );
          return { outcome: 'refund_unrecorded', reason: err.code };
        }
        deps.outbox.kick();
      }
      await deps.db.repos.paymentEvents.markProcessed(event.id);
      log.info({ paymentEventId, refund: n.refund }, 'partial or failed refund recorded');
      return { outcome: 'refund_recorded' };
    }
    const closed = payment?.status === 'failed' || payment?.status === 'cancelled';
    if (payment && closed && n.status === 'succeeded' && !isOtherCharge(payment, n.externalId)) {
      // A late success changes nothing until the provider confirms it now; one it does not confirm is left for a human.
      const why = await unconfirmedLateSuccess(deps.payments, payment, new Date());
      if (why) {
        await deps.db.repos.paymentEvents.markFailed(event.id, `unconfirmed late success: ${why}`);
        await deps.db.repos.auditLog.append({
          actorKind: 'system',
          action: 'alert.late_success_unconfirmed',
          entity: 'payment',
          entityId: payment.id,
          data: { paymentEventId: event.id, ours: payment.status, reason: why, amountMinor: n.amountMinor, currency: n.currency },
        });
        log.error(
          { paymentEventId, paymentId: payment.id, ours: payment.status, reason: why },
          'late success not confirmed by the provider; nothing granted',
        );
        return { outcome: 'late_success_unconfirmed', reason: why };
      }
    }
    try {
      const result = await deps.billing.settlement.settlePayment({
        ...(event.paymentId ? { paymentId: event.paymentId } : {}),
        provider: n.provider,
        externalId: n.externalId,
        providerStatus: n.status,
        amountMinor: n.refund ? n.refund.amountMinor : n.amountMinor,
        currency: n.currency,
        eventId: event.id,
        ...(n.savedPaymentMethodId ? { savedPaymentMethodId: n.savedPaymentMethodId } : {}),
        ...(n.failureReason ? { reason: n.failureReason } : {}),
      });
      deps.crashPoint?.('settlement:after-commit');
      if (result.outcome === 'duplicate_charge') {
        // Refunded first, recorded after: a crash between retries the job, and Telegram answers a
        // second refund of the charge with CHARGE_ALREADY_REFUNDED, which the adapter takes as done.
        const customer = await deps.db.repos.users.findById(result.payment.userId);
        await deps.payments.get(n.provider).refund({
          externalId: result.chargeId,
          amountMinor: n.amountMinor,
          idempotencyKey: `duplicate:${result.chargeId}`,
          reason: 'duplicate_charge',
          currency: n.currency,
          customer: { telegramId: Number(customer?.telegramId) },
        });
        await deps.billing.settlement.recordDuplicateRefund({ paymentId: result.payment.id, chargeId: result.chargeId, eventId: event.id });
        log.warn({ paymentEventId, paymentId: result.payment.id, chargeId: result.chargeId }, 'second charge of a paid payment refunded');
      }
      deps.outbox.kick();
      return { outcome: result.outcome, paymentId: result.payment.id };
    } catch (err) {
      // The domain refused for good (unknown payment, illegal move): record why, do not retry.
      if (isBillingError(err, 'PAYMENT_NOT_FOUND', 'ILLEGAL_TRANSITION', 'INVALID_INPUT')) {
        await deps.db.repos.paymentEvents.markFailed(event.id, `${err.code}: ${err.message}`);
        throw new PermanentJobError(err.message, err.code);
      }
      throw err;
    }
  };
}
