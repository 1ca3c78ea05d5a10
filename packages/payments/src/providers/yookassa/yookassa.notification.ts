import type { IpAllowList } from '../../ip-allow-list.js';
import { optionalDate, parseJsonBody, parseWith } from '../../parse.js';
import { toVerifiedNotification } from '../../notification.js';
import { PaymentError, type IncomingNotification, type VerifiedNotification } from '../../provider.js';
import type { YooKassaApi } from './yookassa.api.js';
import { amountOf, toProviderPayment } from './yookassa.mapping.js';
import { yooNotificationSchema, yooPaymentSchema, yooRefundSchema, type YooEvent } from './yookassa.schema.js';

const forged = (message: string) => new PaymentError('forged', `yookassa: ${message}`, { provider: 'yookassa' });

/**
 * YooKassa signs nothing, so a notification is believed only when (1) it comes from one of
 * YooKassa's addresses and (2) re-reading the object with our credentials shows the same status
 * and amount it claims. We then act on the re-read object, never on the posted one.
 *
 * The event id is `${event}:${object.id}`: YooKassa has no event id, but each event type happens at
 * most once per object (a payment's status only moves forward, a refund succeeds once), so the
 * pair names one meaningful transition and every redelivery of it carries the same id.
 */
export async function verifyYooKassaNotification(
  input: IncomingNotification,
  deps: { api: YooKassaApi; allowList: IpAllowList; now: () => Date },
): Promise<VerifiedNotification> {
  if (!deps.allowList.has(input.ip)) throw forged(`sender ${input.ip} is not in the allow-list`);
  const body = parseWith('yookassa', yooNotificationSchema, parseJsonBody('yookassa', input.rawBody), 'notification');
  const eventId = `${body.event}:${body.object.id}`;
  return body.event === 'refund.succeeded'
    ? verifyRefund(body.object, eventId, deps)
    : verifyPayment(body.event, body.object, eventId, deps);
}

async function reread<T>(read: () => Promise<T>, what: string): Promise<T> {
  try {
    return await read();
  } catch (error) {
    // An id YooKassa does not know was made up: nothing real happened.
    if (error instanceof PaymentError && error.code === 'not_found') throw forged(`${what} is unknown to YooKassa`);
    throw error;
  }
}

async function verifyPayment(
  event: Exclude<YooEvent, 'refund.succeeded'>,
  object: unknown,
  eventId: string,
  deps: { api: YooKassaApi; now: () => Date },
): Promise<VerifiedNotification> {
  const claimed = parseWith('yookassa', yooPaymentSchema, object, 'notification object');
  const claimedStatus = event.slice('payment.'.length);
  if (claimed.status !== claimedStatus) throw forged(`event ${event} carries a payment in status ${claimed.status}`);
  const { payment, raw } = await reread(() => deps.api.getPayment(claimed.id), `payment ${claimed.id}`);
  if (payment.status !== claimed.status) {
    // waiting_for_capture is the only status a genuine payment leaves again; a late copy of it is stale, not forged.
    if (claimed.status === 'waiting_for_capture' && payment.status !== 'pending') {
      throw new PaymentError('replayed', `yookassa: ${event} for ${payment.id} is superseded by ${payment.status}`, {
        provider: 'yookassa',
      });
    }
    throw forged(`claims ${claimed.status} but payment ${payment.id} is ${payment.status}`);
  }
  if (amountOf(claimed) !== amountOf(payment) || claimed.amount.currency !== payment.amount.currency) {
    throw forged(
      `claims ${claimed.amount.value} ${claimed.amount.currency} but payment ${payment.id} is ${payment.amount.value} ${payment.amount.currency}`,
    );
  }
  if (claimed.metadata?.paymentId !== undefined && claimed.metadata.paymentId !== payment.metadata?.paymentId) {
    throw forged(`metadata of ${payment.id} differs from YooKassa's`);
  }
  return toVerifiedNotification('yookassa', toProviderPayment(payment, raw), eventId, optionalDate(payment.captured_at) ?? deps.now());
}

async function verifyRefund(object: unknown, eventId: string, deps: { api: YooKassaApi; now: () => Date }): Promise<VerifiedNotification> {
  const claimed = parseWith('yookassa', yooRefundSchema, object, 'notification object');
  const { refund, raw } = await reread(() => deps.api.getRefund(claimed.id), `refund ${claimed.id}`);
  if (refund.status !== 'succeeded' || claimed.status !== 'succeeded') throw forged(`refund ${refund.id} is ${refund.status}`);
  if (
    refund.payment_id !== claimed.payment_id ||
    amountOf(refund) !== amountOf(claimed) ||
    refund.amount.currency !== claimed.amount.currency
  ) {
    throw forged(`refund ${refund.id} differs from YooKassa's`);
  }
  const { payment, raw: paymentRaw } = await reread(() => deps.api.getPayment(refund.payment_id), `payment ${refund.payment_id}`);
  const amountMinor = amountOf(refund);
  return toVerifiedNotification(
    'yookassa',
    toProviderPayment(payment, paymentRaw),
    eventId,
    optionalDate(refund.created_at) ?? deps.now(),
    {
      amountMinor,
      currency: refund.amount.currency,
      refund: { refundId: refund.id, amountMinor, status: 'succeeded' },
      raw: { refund: raw, payment: paymentRaw },
    },
  );
}
