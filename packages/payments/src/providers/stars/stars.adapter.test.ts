import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IncomingNotification } from '../../provider.js';
import {
  catchPaymentError,
  BotApiErrorLike,
  buildPreCheckoutQuery,
  buildRefundedPaymentMessage,
  buildSuccessfulPaymentMessage,
  createStarsBotApiEmulator,
} from '../../testing/index.js';
import { createStarsProvider } from './stars.adapter.js';
import { signStarsForward } from './stars.forward.js';
import { parseStarsPaymentMessage } from './stars.message.js';
import { validatePreCheckout, type ExpectedStarsPayment } from './stars.pre-checkout.js';

const secret = 'forward-secret-for-tests-0123456789';

function forwarded(message: unknown, sign = true): IncomingNotification {
  const rawBody = Buffer.from(JSON.stringify(message));
  return { rawBody, headers: sign ? { 'x-stars-forward-signature': signStarsForward(secret, rawBody) } : {}, ip: '127.0.0.1' };
}

describe('Telegram Stars provider', () => {
  const bot = createStarsBotApiEmulator();
  const provider = createStarsProvider({ botApi: bot, forwardSecret: secret, timeoutMs: 500 });

  it('creates the invoice the bot sends: payload is our payment id, whole stars, one price', async () => {
    const paymentId = randomUUID();
    const created = await provider.createPayment({
      paymentId,
      idempotencyKey: 'k',
      amountMinor: 150,
      currency: 'XTR',
      title: 'VPN 30 days — a very long product title',
      description: 'VPN subscription',
      customer: { telegramId: 5 },
    });
    expect(created).toEqual({
      externalId: paymentId,
      status: 'pending',
      invoice: {
        title: 'VPN 30 days — a very long produc',
        description: 'VPN subscription',
        payload: paymentId,
        currency: 'XTR',
        prices: [{ label: 'VPN 30 days — a very long produc', amount: 150 }],
      },
    });
    expect(created.invoice!.title).toHaveLength(32);
    for (const bad of [{ currency: 'RUB' }, { amountMinor: 0 }, { amountMinor: 1.5 }, { paymentId: 'x'.repeat(129) }]) {
      expect(
        (
          await catchPaymentError(
            provider.createPayment({
              paymentId,
              idempotencyKey: 'k',
              amountMinor: 150,
              currency: 'XTR',
              description: 'd',
              customer: { telegramId: 5 },
              ...bad,
            }),
          )
        ).code,
      ).toBe('rejected');
    }
  });

  it('verifies a forwarded successful_payment with exact whole stars and the charge id as event id', async () => {
    const paymentId = randomUUID();
    const message = buildSuccessfulPaymentMessage({ payload: paymentId, amount: 1, userId: 77 });
    const verified = await provider.verifyNotification(forwarded(message));
    expect(verified).toMatchObject({
      provider: 'stars',
      eventId: message.successful_payment.telegram_payment_charge_id,
      externalId: message.successful_payment.telegram_payment_charge_id,
      paymentId,
      status: 'succeeded',
      amountMinor: 1,
      currency: 'XTR',
      customerTelegramId: 77,
    });
    expect((await provider.verifyNotification(forwarded(message))).eventId).toBe(verified.eventId);
    expect(parseStarsPaymentMessage(message).successful_payment).toMatchObject({ invoice_payload: paymentId, total_amount: 1 });
    expect(() => parseStarsPaymentMessage({ message_id: 1 })).toThrow(/stars payment message/);
  });

  it('rejects a missing or wrong signature, a tampered body, malformed JSON and a non-XTR payment', async () => {
    const message = buildSuccessfulPaymentMessage({ payload: randomUUID(), amount: 100001, userId: 77 });
    expect((await catchPaymentError(provider.verifyNotification(forwarded(message, false)))).code).toBe('forged');
    const genuine = forwarded(message);
    const tampered = Buffer.from(genuine.rawBody.toString().replace('100001', '100002'));
    expect((await catchPaymentError(provider.verifyNotification({ ...genuine, rawBody: tampered }))).code).toBe('forged');
    expect(
      (
        await catchPaymentError(
          provider.verifyNotification({ ...genuine, headers: { 'x-stars-forward-signature': signStarsForward('other', genuine.rawBody) } }),
        )
      ).code,
    ).toBe('forged');
    const junk = Buffer.from('{"message_id":');
    expect(
      (
        await catchPaymentError(
          provider.verifyNotification({ rawBody: junk, headers: { 'x-stars-forward-signature': signStarsForward(secret, junk) }, ip: '' }),
        )
      ).code,
    ).toBe('malformed');
    const rub = buildSuccessfulPaymentMessage({ payload: randomUUID(), amount: 5, userId: 77, currency: 'RUB' });
    expect((await catchPaymentError(provider.verifyNotification(forwarded(rub)))).code).toBe('malformed');
    expect((await catchPaymentError(provider.verifyNotification(forwarded({ message_id: 1, date: 1, chat: { id: 1 } })))).code).toBe(
      'malformed',
    );
    expect((await catchPaymentError(createStarsProvider().verifyNotification(genuine))).code).toBe('not_configured');
  });

  it('refunds through the Bot API once, a repeat is not an error, and reads the status back', async () => {
    const paymentId = randomUUID();
    const message = buildSuccessfulPaymentMessage({ payload: paymentId, amount: 250, userId: 91 });
    bot.recordPayment(message);
    const chargeId = message.successful_payment.telegram_payment_charge_id;
    expect(await provider.getPayment(paymentId)).toMatchObject({ externalId: chargeId, paymentId, status: 'succeeded', amountMinor: 250 });

    const refund = { externalId: chargeId, amountMinor: 250, idempotencyKey: 'r', customer: { telegramId: 91 } };
    expect(await provider.refund(refund)).toEqual({ refundId: chargeId, status: 'succeeded' });
    expect(await provider.refund(refund)).toEqual({ refundId: chargeId, status: 'succeeded' });
    expect(bot.refunds.filter((r) => r.chargeId === chargeId)).toHaveLength(1);
    expect((await provider.getPayment(chargeId)).status).toBe('refunded');

    const notice = await provider.verifyNotification(
      forwarded(buildRefundedPaymentMessage({ payload: paymentId, amount: 250, userId: 91, chargeId })),
    );
    expect(notice).toMatchObject({ eventId: `refund:${chargeId}`, status: 'refunded', refund: { refundId: chargeId, amountMinor: 250 } });
  });

  it('maps Bot API failures and missing inputs to clear errors', async () => {
    expect(
      (
        await catchPaymentError(
          provider.refund({ externalId: 'stxUnknown', amountMinor: 1, idempotencyKey: 'r', customer: { telegramId: 1 } }),
        )
      ).code,
    ).toBe('not_found');
    expect((await catchPaymentError(provider.refund({ externalId: 'stx', amountMinor: 1, idempotencyKey: 'r' }))).code).toBe('rejected');
    bot.failNext(new BotApiErrorLike(429, 'Too Many Requests: retry after 5'));
    const throttled = await catchPaymentError(
      provider.refund({ externalId: 'stx', amountMinor: 1, idempotencyKey: 'r', customer: { telegramId: 1 } }),
    );
    expect(throttled).toMatchObject({ code: 'unreachable' });
    expect(throttled.retryable).toBe(true);
    const hanging = createStarsProvider({ botApi: { refundStarPayment: () => new Promise(() => undefined) }, timeoutMs: 30 });
    expect(
      (await catchPaymentError(hanging.refund({ externalId: 'stx', amountMinor: 1, idempotencyKey: 'r', customer: { telegramId: 1 } })))
        .code,
    ).toBe('timeout');
    expect((await catchPaymentError(createStarsProvider().getPayment('x'))).code).toBe('not_configured');
    expect((await catchPaymentError(provider.getPayment(randomUUID()))).code).toBe('not_found');
  });
});

describe('validatePreCheckout', () => {
  const expected: ExpectedStarsPayment = {
    paymentId: 'p1',
    amountMinor: 150,
    currency: 'XTR',
    status: 'pending',
    telegramId: 5,
    expiresAt: new Date('2030-01-01'),
  };
  const query = buildPreCheckoutQuery({ payload: 'p1', amount: 150, userId: 5 });
  const now = new Date('2029-01-01');

  it('refuses an invoice whose payment already has a charge, even one still settling', () => {
    expect(validatePreCheckout(query, { ...expected, charged: true }, now)).toMatchObject({ ok: false, reason: 'already_charged' });
    expect(validatePreCheckout(query, { ...expected, charged: false }, now)).toEqual({ ok: true });
  });

  it('accepts the invoiced payment', () => {
    expect(validatePreCheckout(query, expected, now)).toEqual({ ok: true });
  });

  it.each([
    ['unknown_payment', query, undefined],
    ['unknown_payment', { ...query, invoice_payload: 'p2' }, expected],
    ['wrong_user', { ...query, from: { id: 6 } }, expected],
    ['not_pending', query, { ...expected, status: 'succeeded' as const }],
    ['expired', query, { ...expected, expiresAt: new Date('2028-12-31') }],
    ['wrong_currency', { ...query, currency: 'RUB' }, expected],
    ['wrong_amount', { ...query, total_amount: 149 }, expected],
  ])('refuses with %s', (reason, q, e) => {
    const result = validatePreCheckout(q, e, now);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.messageKey).toMatch(/^client\.payment\.precheckout\./);
  });
});
