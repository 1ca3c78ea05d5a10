import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingNotification, PaymentProvider } from '../../provider.js';
import {
  catchPaymentError,
  createPlategaEmulator,
  createWebhookReceiver,
  paymentInput,
  type PlategaEmulator,
  type WebhookReceiver,
} from '../../testing/index.js';
import { createPlategaProvider } from './platega.adapter.js';

let emu: PlategaEmulator;
let receiver: WebhookReceiver;
let provider: PaymentProvider;

beforeAll(async () => {
  receiver = await createWebhookReceiver();
  emu = await createPlategaEmulator({ retryDelaysMs: [], webhookUrl: receiver.url });
  provider = createPlategaProvider({ merchantId: emu.merchantId, secret: emu.secret, apiUrl: emu.apiUrl, timeoutMs: 2_000 });
});

afterAll(async () => {
  await emu.close();
  await receiver.close();
});

const raw = (built: { body: string; headers: Record<string, string> }): IncomingNotification => ({
  rawBody: Buffer.from(built.body),
  headers: built.headers,
  ip: '127.0.0.1',
});

async function next(act: () => unknown): Promise<IncomingNotification> {
  const before = receiver.received.length;
  await act();
  return (await receiver.waitFor(before + 1))[before]!;
}

describe('Platega adapter against the emulator', () => {
  it('creates an SBP transaction with our id as payload, the payer pays, and the callback verifies with exact amounts', async () => {
    const request = paymentInput();
    const created = await provider.createPayment(request);
    expect(created).toMatchObject({ status: 'pending', confirmationUrl: `${emu.url}/pay/${created.externalId}` });
    expect(created.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(emu.transaction(created.externalId)).toMatchObject({
      payload: request.paymentId,
      paymentDetails: { amount: 199, currency: 'RUB' },
    });
    const verified = await provider.verifyNotification(await next(() => emu.confirm(created.externalId)));
    expect(verified).toMatchObject({
      provider: 'platega',
      eventId: `${created.externalId}:CONFIRMED`,
      paymentId: request.paymentId,
      status: 'succeeded',
      amountMinor: 19900,
      currency: 'RUB',
    });
    expect(await provider.getPayment(created.externalId)).toMatchObject({ status: 'succeeded', amountMinor: 19900 });
  });

  it.each([1, 100001, 19990, 29950])('prices %i kopecks exactly and reads them back', async (minor) => {
    const created = await provider.createPayment(paymentInput({ amountMinor: minor }));
    expect((await provider.getPayment(created.externalId)).amountMinor).toBe(minor);
  });

  it('repeats a create with the same key without a second transaction (no idempotency at Platega)', async () => {
    const request = paymentInput();
    const [a, b] = await Promise.all([provider.createPayment(request), provider.createPayment(request)]);
    expect(b.externalId).toBe(a.externalId);
    expect((await catchPaymentError(provider.createPayment({ ...request, amountMinor: 1 }))).code).toBe('rejected');
  });

  it('reads cancel and expiry as cancelled; unknown → not_found; bad secret → not_configured; no requisites → retryable', async () => {
    const cancelled = await provider.createPayment(paymentInput());
    emu.cancel(cancelled.externalId);
    expect(await provider.getPayment(cancelled.externalId)).toMatchObject({ status: 'cancelled', failureReason: 'CANCELED' });
    const expired = await provider.createPayment(paymentInput());
    emu.expire(expired.externalId);
    expect((await provider.getPayment(expired.externalId)).status).toBe('cancelled');
    expect((await catchPaymentError(provider.getPayment('00000000-0000-4000-8000-000000000000'))).code).toBe('not_found');
    const wrong = createPlategaProvider({ merchantId: emu.merchantId, secret: 'wrong', apiUrl: emu.apiUrl });
    expect(await catchPaymentError(wrong.getPayment(expired.externalId))).toMatchObject({
      code: 'not_configured',
      details: { status: 401, providerCode: 'Auth:SIGN_1001' },
    });
    emu.noRequisites(1);
    const busy = await catchPaymentError(provider.createPayment(paymentInput()));
    expect(busy.code).toBe('unreachable');
    expect(busy.retryable).toBe(true);
    expect((await catchPaymentError(provider.createPayment(paymentInput({ currency: 'USD' })))).code).toBe('rejected');
  });

  it('has no refund or cancel call and says so', async () => {
    expect(provider.capabilities).toMatchObject({ refund: false, cancel: false });
    expect((await catchPaymentError(provider.refund({ externalId: 'x', amountMinor: 1, idempotencyKey: 'k' }))).code).toBe('rejected');
    expect(await provider.cancelPayment('x')).toBe('not_supported');
  });

  describe('verifyNotification', () => {
    let externalId: string;
    let genuine: IncomingNotification;
    beforeAll(async () => {
      externalId = (await provider.createPayment(paymentInput())).externalId;
      genuine = await next(() => emu.confirm(externalId));
    });

    it('accepts a duplicate with the same event id', async () => {
      const copy = await next(() => emu.redeliver(emu.notifications.at(-1)!.id, 1));
      expect((await provider.verifyNotification(copy)).eventId).toBe((await provider.verifyNotification(genuine)).eventId);
    });

    it.each(['credentials', 'missing-credentials', 'claim', 'unknown-id'] as const)('rejects a %s forgery', async (kind) => {
      const pending = (await provider.createPayment(paymentInput())).externalId;
      const forged = await next(() => emu.deliverTampered(kind, pending));
      expect((await catchPaymentError(provider.verifyNotification(forged))).code).toBe('forged');
    });

    it('acknowledges a late CANCELED after CONFIRMED as replayed, and refuses a payload that is not the transaction’s', async () => {
      expect((await catchPaymentError(provider.verifyNotification(raw(emu.buildCallback(externalId, { status: 'CANCELED' }))))).code).toBe(
        'replayed',
      );
      expect((await catchPaymentError(provider.verifyNotification(raw(emu.buildCallback(externalId, { payload: 'other' }))))).code).toBe(
        'forged',
      );
      expect((await catchPaymentError(provider.verifyNotification({ ...genuine, rawBody: Buffer.from('{"id":') }))).code).toBe('malformed');
    });

    it('takes the amount from the re-read transaction, not the callback', async () => {
      const id = (await provider.createPayment(paymentInput())).externalId;
      emu.confirm(id, 150);
      const verified = await provider.verifyNotification(raw(emu.buildCallback(id, { amount: 199 })));
      expect(verified.amountMinor).toBe(15000);
    });
  });
});
