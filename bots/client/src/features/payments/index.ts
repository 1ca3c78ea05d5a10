import type { Payment } from '@vpn/db';
import type { TranslationKey } from '@vpn/i18n';
import { starsNotificationFromMessage, validatePreCheckout, type PreCheckoutRefusal } from '@vpn/payments';
import { editOrReply } from '@vpn/telegram-kit';
import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { afterPaymentNote } from '../../ui/customer-state.js';
import { formatDate, formatMoney } from '../../ui/format.js';
import type { FeatureDeps } from '../feature-deps.js';
import { closeAtProvider } from './close-at-provider.js';
import { cancelPaymentData, checkPaymentData, STARS_INVOICE_TTL_MS } from './payment-message.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the customer is told when Telegram asks whether a Stars payment may go ahead and we say no. */
const REFUSALS: Record<PreCheckoutRefusal, TranslationKey> = {
  unknown_payment: 'client.payment.precheckout.unknown',
  wrong_user: 'client.payment.precheckout.unknown',
  not_pending: 'client.payment.precheckout.not_pending',
  already_charged: 'client.payment.precheckout.already_charged',
  expired: 'client.payment.precheckout.expired',
  wrong_currency: 'client.payment.precheckout.mismatch',
  wrong_amount: 'client.payment.precheckout.mismatch',
};

const STATUS_TEXT: Record<Exclude<Payment['status'], 'pending' | 'succeeded'>, TranslationKey> = {
  failed: 'client.payment.failed',
  cancelled: 'client.payment.cancelled',
  refunded: 'client.payment.refunded',
};

/**
 * Payments after checkout: "check" and "cancel" on a pending payment, and Telegram Stars — the
 * pre-checkout query answered from the ledger well within Telegram's 10 seconds, and the
 * `successful_payment` handed to the webhooks service, the same path every provider's
 * notification takes (stored once per charge id, settled by the worker).
 */
export function createPaymentsFeature(deps: FeatureDeps): Composer<ClientContext> {
  const composer = new Composer<ClientContext>();
  const ownPayment = async (ctx: ClientContext, id: string | undefined) => {
    const payment = id && UUID.test(id) ? await deps.db.repos.payments.get(id) : null;
    return payment && payment.userId === ctx.customer.id ? payment : null;
  };

  composer.callbackQuery(checkPaymentData.filter, async (ctx) => {
    const payment = await ownPayment(ctx, checkPaymentData.unpack(ctx.callbackQuery.data)?.id);
    if (!payment) return void (await ctx.answerCallbackQuery({ text: ctx.t('client.payment.notFound'), show_alert: true }));
    if (payment.status === 'pending') {
      // The webhook may be late or lost: the worker asks the provider and settles if it was paid.
      await deps.producers.paymentPoll.add({ scope: 'payment', paymentId: payment.id });
      return void (await ctx.answerCallbackQuery({ text: ctx.t('client.payment.stillPending'), show_alert: true }));
    }
    if (payment.status === 'succeeded' && payment.kind === 'top_up') {
      const balance = await deps.billing.balance.amount(ctx.customer.id, payment.currency);
      return editOrReply(ctx, ctx.t('client.balance.paid', { balance: formatMoney(balance, payment.currency, ctx.i18n.language) }));
    }
    if (payment.status === 'succeeded') {
      const sub = await deps.billing.subscriptions.getCurrent(ctx.customer.id);
      const date = sub?.endsAt ? formatDate(sub.endsAt, ctx.i18n.language, deps.timeZone) : '—';
      return editOrReply(ctx, ctx.t('client.payment.paid', { date }));
    }
    await editOrReply(ctx, ctx.t(STATUS_TEXT[payment.status]));
  });

  composer.callbackQuery(cancelPaymentData.filter, async (ctx) => {
    const payment = await ownPayment(ctx, cancelPaymentData.unpack(ctx.callbackQuery.data)?.id);
    if (!payment) return void (await ctx.answerCallbackQuery({ text: ctx.t('client.payment.notFound'), show_alert: true }));
    if (payment.status === 'pending') {
      await deps.billing.ledger.cancelPayment(payment.id, 'cancelled_by_customer');
      ctx.logger.info({ paymentId: payment.id }, 'payment cancelled by the customer');
    }
    const text = ctx.t(
      payment.status === 'pending'
        ? 'client.payment.cancelledNow'
        : payment.status === 'succeeded'
          ? 'client.payment.alreadyPaid'
          : STATUS_TEXT[payment.status],
    );
    // An invoice cannot become a text message: it goes, and the answer comes as a new message.
    if (ctx.callbackQuery.message && 'invoice' in ctx.callbackQuery.message) {
      await ctx.deleteMessage().catch(() => undefined);
      await ctx.reply(text);
    } else {
      await editOrReply(ctx, text);
    }
    // After answering: the provider call must not keep the customer waiting.
    if (payment.status === 'pending') await closeAtProvider(ctx, deps, payment);
  });

  composer.on('pre_checkout_query', async (ctx) => {
    const query = ctx.preCheckoutQuery;
    const payment = UUID.test(query.invoice_payload) ? await deps.db.repos.payments.get(query.invoice_payload) : null;
    const expected =
      payment && payment.provider === 'stars'
        ? {
            paymentId: payment.id,
            amountMinor: Number(payment.amountMinor),
            currency: payment.currency,
            status: payment.status,
            expiresAt: new Date(payment.createdAt.getTime() + STARS_INVOICE_TTL_MS),
            // Only the customer the invoice was made for may pay it.
            telegramId: payment.userId === ctx.customer.id ? ctx.customer.telegramId : -1,
            // Another invoice of this payment already paid (its settlement may still be running).
            charged: payment.status === 'pending' && (await deps.db.repos.paymentEvents.hasCharge(payment.id)),
          }
        : undefined;
    const result = validatePreCheckout(query, expected, deps.now());
    if (result.ok) {
      await ctx.answerPreCheckoutQuery(true);
      return;
    }
    ctx.logger.warn(
      { reason: result.reason, payload: query.invoice_payload.slice(0, 64), amount: query.total_amount },
      'pre-checkout refused',
    );
    await ctx.answerPreCheckoutQuery(false, { error_message: ctx.t(REFUSALS[result.reason]) });
    if (result.reason === 'already_charged' && payment) {
      // After answering (Telegram's 10 s): a second charge stopped is on record for staff.
      await deps.db.repos.auditLog.append({
        actorKind: 'system',
        action: 'payment.second_charge_refused',
        entity: 'payment',
        entityId: payment.id,
        data: { userId: payment.userId, amountMinor: Number(payment.amountMinor), currency: payment.currency },
      });
    }
  });

  composer.on('message:successful_payment', async (ctx) => {
    // Validates the shape (XTR, payload, charge id) before anything leaves the process.
    const notification = starsNotificationFromMessage(ctx.message);
    // Read before the payment is settled: whether a link is coming or the key is kept.
    const note = await afterPaymentNote(ctx, deps);
    const outcome = await deps.stars.forward(ctx.message);
    const ids = { paymentId: notification.paymentId, chargeId: notification.externalId, amount: notification.amountMinor };
    if (outcome === 'accepted') {
      ctx.logger.info(ids, 'stars payment forwarded for settlement');
    } else {
      // Never lost: the worker's payment poll finds it in the bot's Star transactions and settles it.
      ctx.logger.error({ ...ids, outcome }, 'stars payment not forwarded; left to the payment poll');
      if (notification.paymentId && UUID.test(notification.paymentId)) {
        await deps.producers.paymentPoll
          .add({ scope: 'payment', paymentId: notification.paymentId })
          .catch((err: unknown) => ctx.logger.error({ err }, 'could not enqueue the payment poll'));
      }
    }
    await ctx.reply(`${ctx.t('client.payment.received')}\n\n${note}`);
  });
  return composer;
}
