import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentProvider } from '../../provider.js';
import {
  catchPaymentError,
  paymentInput,
  createWebhookReceiver,
  createYooKassaEmulator,
  type WebhookReceiver,
  type YooKassaEmulator,
} from '../../testing/index.js';
import { createYooKassaProvider } from './yookassa.adapter.js';

let emu: YooKassaEmulator;
let receiver: WebhookReceiver;
let provider: PaymentProvider;

beforeAll(async () => {
  receiver = await createWebhookReceiver();
  emu = await createYooKassaEmulator({ retryDelaysMs: [20, 40], webhookUrl: receiver.url });
  provider = createYooKassaProvider({
    shopId: emu.shopId,
    secretKey: emu.secretKey,
    apiUrl: emu.apiUrl,
    allowedIps: ['127.0.0.1'],
    timeoutMs: 2_000,
  });
});

afterAll(async () => {
  await emu.close();
  await receiver.close();
});

/** The notification the emulator sent for `externalId` with `event`, as the receiver got it. */
async function received(externalId: string, event: string) {
  await emu.idle();
  const found = receiver.received.find((n) => {
    const body = JSON.parse(n.rawBody.toString()) as { event: string; object: { id: string; payment_id?: string } };
    return body.event === event && (body.object.id === externalId || body.object.payment_id === externalId);
  });
  if (!found) throw new Error(`no ${event} for ${externalId}`);
  return found;
}

describe('YooKassa adapter against the emulator', () => {
  it('creates, the customer pays, and the genuine notification verifies with exact amounts', async () => {
    const request = paymentInput();
    const created = await provider.createPayment(request);
    expect(created.status).toBe('pending');
    expect(created.confirmationUrl).toBe(`${emu.url}/checkout/${created.externalId}`);
    const sent = emu.payment(created.externalId)!;
    expect(sent.amount).toEqual({ value: '199.00', currency: 'RUB' });
    expect(sent.metadata).toEqual({ paymentId: request.paymentId, telegramId: '42' });

    const page = await fetch(`${created.confirmationUrl!}?action=pay`);
    expect(page.status).toBe(200);
    const verified = await provider.verifyNotification(await received(created.externalId, 'payment.succeeded'));
    expect(verified).toMatchObject({
      provider: 'yookassa',
      eventId: `payment.succeeded:${created.externalId}`,
      externalId: created.externalId,
      paymentId: request.paymentId,
      status: 'succeeded',
      amountMinor: 19900,
      currency: 'RUB',
    });
    const read = await provider.getPayment(created.externalId);
    expect(read).toMatchObject({ status: 'succeeded', amountMinor: 19900, paymentId: request.paymentId });
    expect(read.paidAt).toBeInstanceOf(Date);
  });

  it.each([
    [1, '0.01'],
    [100001, '1000.01'],
    [10, '0.10'],
  ])('sends %i kopecks as "%s" and reads it back exactly', async (minor, text) => {
    const created = await provider.createPayment(paymentInput({ amountMinor: minor }));
    expect(emu.payment(created.externalId)!.amount.value).toBe(text);
    emu.pay(created.externalId);
    const verified = await provider.verifyNotification(await received(created.externalId, 'payment.succeeded'));
    expect(verified.amountMinor).toBe(minor);
  });

  it('is idempotent: same key and body give the same payment, a changed body is refused', async () => {
    const request = paymentInput();
    const first = await provider.createPayment(request);
    const again = await provider.createPayment(request);
    expect(again.externalId).toBe(first.externalId);
    const conflict = await catchPaymentError(provider.createPayment({ ...request, amountMinor: 29900 }));
    expect(conflict).toMatchObject({ code: 'rejected', details: { status: 400, providerCode: 'invalid_request' } });
    expect(conflict.message).toContain('Idempotence key duplicated');
  });

  it('turns a 500 into a retryable error, and the retry with the same key makes one payment', async () => {
    const request = paymentInput();
    emu.failNextRequests(1, 500);
    const failure = await catchPaymentError(provider.createPayment(request));
    expect(failure.code).toBe('unreachable');
    expect(failure.retryable).toBe(true);
    const created = await provider.createPayment(request);
    expect((await provider.createPayment(request)).externalId).toBe(created.externalId);
  });

  it('sends a 54-FZ receipt with the configured VAT code, subject and mode', async () => {
    const local = createYooKassaProvider({
      shopId: emu.shopId,
      secretKey: emu.secretKey,
      apiUrl: emu.apiUrl,
      receipt: { vatCode: 4, fallbackEmail: 'shop@example.com' },
    });
    const created = await local.createPayment(paymentInput({ customer: { telegramId: 7 }, amountMinor: 12345 }));
    expect(created.status).toBe('pending');
    const noContact = createYooKassaProvider({ shopId: emu.shopId, secretKey: emu.secretKey, apiUrl: emu.apiUrl });
    const refused = await catchPaymentError(noContact.createPayment(paymentInput({ customer: { telegramId: 7 } })));
    expect(refused).toMatchObject({ code: 'rejected', details: { providerCode: 'invalid_request' } });
    expect(refused.message).toContain('receipt.customer');
  });

  it('saves the method and charges it later without the customer; a declined charge reports the reason', async () => {
    const created = await provider.createPayment(paymentInput({ savePaymentMethod: true }));
    emu.pay(created.externalId);
    const first = await provider.verifyNotification(await received(created.externalId, 'payment.succeeded'));
    const methodId = first.savedPaymentMethodId!;
    expect(methodId).toMatch(/^[0-9a-f-]{36}$/);

    const renewal = await provider.createPayment(paymentInput({ savedPaymentMethodId: methodId, returnUrl: undefined }));
    expect(renewal.status).toBe('succeeded');
    expect(renewal.confirmationUrl).toBeUndefined();

    emu.setSavedMethodOutcome(methodId, 'insufficient_funds');
    const declined = await provider.createPayment(paymentInput({ savedPaymentMethodId: methodId }));
    expect(declined.status).toBe('failed');
    const read = await provider.getPayment(declined.externalId);
    expect(read).toMatchObject({ status: 'failed', failureReason: 'insufficient_funds' });
    const notified = await provider.verifyNotification(await received(declined.externalId, 'payment.canceled'));
    expect(notified).toMatchObject({
      status: 'failed',
      failureReason: 'insufficient_funds',
      eventId: `payment.canceled:${declined.externalId}`,
    });
  });

  it('tells an expired confirmation (cancelled) from a decline (failed)', async () => {
    const created = await provider.createPayment(paymentInput());
    emu.fail(created.externalId, 'expired_on_confirmation');
    expect(await provider.getPayment(created.externalId)).toMatchObject({ status: 'cancelled', failureReason: 'expired_on_confirmation' });
  });

  it('refunds partially then fully, idempotently, and verifies the refund notification', async () => {
    const created = await provider.createPayment(paymentInput({ amountMinor: 100001 }));
    emu.pay(created.externalId);
    const key = randomUUID();
    const partial = await provider.refund({
      externalId: created.externalId,
      amountMinor: 1,
      idempotencyKey: key,
      customer: { telegramId: 42, email: 'user@example.com' },
    });
    expect(partial.status).toBe('succeeded');
    expect(
      (
        await provider.refund({
          externalId: created.externalId,
          amountMinor: 1,
          idempotencyKey: key,
          customer: { telegramId: 42, email: 'user@example.com' },
        })
      ).refundId,
    ).toBe(partial.refundId);
    expect(emu.payment(created.externalId)!.refunded_amount).toEqual({ value: '0.01', currency: 'RUB' });
    expect((await provider.getPayment(created.externalId)).status).toBe('succeeded');

    const rest = await provider.refund({
      externalId: created.externalId,
      amountMinor: 100000,
      idempotencyKey: randomUUID(),
      currency: 'RUB',
      customer: { telegramId: 42, email: 'user@example.com' },
    });
    expect(rest.status).toBe('succeeded');
    expect((await provider.getPayment(created.externalId)).status).toBe('refunded');
    const tooMuch = await catchPaymentError(
      provider.refund({
        externalId: created.externalId,
        amountMinor: 1,
        idempotencyKey: randomUUID(),
        customer: { telegramId: 42, email: 'user@example.com' },
      }),
    );
    expect(tooMuch.code).toBe('rejected');

    await emu.idle();
    const refundNotification = receiver.received.find((n) => n.rawBody.toString().includes(rest.refundId))!;
    const verified = await provider.verifyNotification(refundNotification);
    expect(verified).toMatchObject({
      eventId: `refund.succeeded:${rest.refundId}`,
      externalId: created.externalId,
      status: 'refunded',
      amountMinor: 100000,
      refund: { refundId: rest.refundId, amountMinor: 100000, status: 'succeeded' },
    });
  });

  it('maps bad credentials and unknown payments to clear errors', async () => {
    const wrong = createYooKassaProvider({ shopId: emu.shopId, secretKey: 'test_wrong', apiUrl: emu.apiUrl });
    expect(await catchPaymentError(wrong.getPayment(randomUUID()))).toMatchObject({
      code: 'not_configured',
      details: { status: 401, providerCode: 'invalid_credentials' },
    });
    expect(await catchPaymentError(provider.getPayment(randomUUID()))).toMatchObject({ code: 'not_found', details: { status: 404 } });
  });
});

describe('a shop without recurring payments (issue 11, item 5)', () => {
  it('YooKassa refuses save_payment_method: the payment is made once more without it, and the caller is told', async () => {
    const shop = await createYooKassaEmulator({ recurring: false });
    try {
      const adapter = createYooKassaProvider({
        shopId: shop.shopId,
        secretKey: shop.secretKey,
        apiUrl: shop.apiUrl,
        allowedIps: [],
        timeoutMs: 2_000,
      });
      const created = await adapter.createPayment({ ...paymentInput(), savePaymentMethod: true });
      expect(created).toMatchObject({ status: 'pending', savePaymentMethodRefused: true });
      expect(created.confirmationUrl).toContain(created.externalId);
      // Asked without saving, nothing is refused.
      expect((await adapter.createPayment(paymentInput())).savePaymentMethodRefused).toBeUndefined();
    } finally {
      await shop.close();
    }
  });
});
