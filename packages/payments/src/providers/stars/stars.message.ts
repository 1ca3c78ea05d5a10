import { parseWith } from '../../parse.js';
import { PaymentError, type VerifiedNotification } from '../../provider.js';
import { paymentMessageSchema, type StarsPaymentMessage } from './stars.schema.js';

/** Checks a Telegram Message carrying `successful_payment` or `refunded_payment`; PaymentError `malformed` otherwise. */
export function parseStarsPaymentMessage(message: unknown): StarsPaymentMessage {
  return parseWith('stars', paymentMessageSchema, message, 'payment message');
}

/**
 * A Telegram Message with `successful_payment` (or `refunded_payment`) as a verified notification.
 * Use it directly in the client bot, where the update came from Telegram itself; over HTTP,
 * `verifyNotification` checks the forward signature first. The event id is the
 * `telegram_payment_charge_id` (`refund:<id>` for refunds): Telegram issues one per payment and
 * redelivers the same update with the same id.
 */
export function starsNotificationFromMessage(message: unknown): VerifiedNotification {
  const parsed = parseStarsPaymentMessage(message);
  const payment = parsed.successful_payment ?? parsed.refunded_payment;
  if (!payment) throw new PaymentError('malformed', 'stars: no payment in the message', { provider: 'stars' });
  if (payment.currency !== 'XTR')
    throw new PaymentError('malformed', `stars: currency ${payment.currency} is not XTR`, { provider: 'stars' });
  const common = {
    provider: 'stars' as const,
    externalId: payment.telegram_payment_charge_id,
    paymentId: payment.invoice_payload,
    amountMinor: payment.total_amount,
    currency: 'XTR',
    occurredAt: new Date(parsed.date * 1000),
    customerTelegramId: parsed.from?.id ?? parsed.chat.id,
    raw: message,
  };
  if (parsed.successful_payment) return { ...common, eventId: payment.telegram_payment_charge_id, status: 'succeeded' };
  return {
    ...common,
    eventId: `refund:${payment.telegram_payment_charge_id}`,
    status: 'refunded',
    refund: { refundId: payment.telegram_payment_charge_id, amountMinor: payment.total_amount, status: 'succeeded' },
  };
}
