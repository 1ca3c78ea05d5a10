import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingNotification, PaymentProvider } from '../../provider.js';
import {
  catchPaymentError,
  paymentInput,
  createWataEmulator,
  createWebhookReceiver,
  type WataEmulator,
  type WebhookReceiver,
} from '../../testing/index.js';
import { jsonWithAmount } from './wata.api.js';
import { createWataProvider } from './wata.adapter.js';

let emu: WataEmulator;
let receiver: WebhookReceiver;
let provider: PaymentProvider;

beforeAll(async () => {
  receiver = await createWebhookReceiver();
  emu = await createWataEmulator({ retryDelaysMs: [20, 40], webhookUrl: receiver.url });
  provider = createWataProvider({ token: emu.token, apiUrl: emu.apiUrl, timeoutMs: 2_000, defaultReturnUrl: 'https://t.me/vpn_bot' });
});

afterAll(async () => {
  await emu.close();
  await receiver.close();
});

/** Runs `act` and returns the notification it made the emulator deliver. */
async function nextNotification(act: () => unknown): Promise<IncomingNotification> {
  const before = receiver.received.length;
  act();
  return (await receiver.waitFor(before + 1))[before]!;
}

describe('WATA adapter against the emulator', () => {
  it('creates a link for the order, the payer pays, and the signed webhook verifies with exact amounts', async () => {
    const request = paymentInput();
    const created = await provider.createPayment(request);
    expect(created).toMatchObject({ externalId: request.paymentId, status: 'pending', confirmationUrl: expect.stringContaining('/pay/') });
    expect(emu.link(request.paymentId)).toMatchObject({
      amount: 199,
      currency: 'RUB',
      orderId: request.paymentId,
      successRedirectUrl: 'https://t.me/vpn_bot',
      type: 'OneTime',
    });

    const notification = await nextNotification(() => fetch(`${created.confirmationUrl!}?action=pay`));
    const verified = await provider.verifyNotification(notification);
    const tx = emu.transactions(request.paymentId)[0]!;
    expect(verified).toMatchObject({
      provider: 'wata',
      eventId: `${tx.id as string}:Paid`,
      externalId: request.paymentId,
      paymentId: request.paymentId,
      status: 'succeeded',
      amountMinor: 19900,
      currency: 'RUB',
    });
    expect(await provider.getPayment(request.paymentId)).toMatchObject({ status: 'succeeded', amountMinor: 19900 });
  });

  it.each([
    [1000, 10],
    [100001, 1000.01],
    [99999999, 999999.99],
  ])('sends %i kopecks as the JSON number %d and reads it back exactly', async (minor, number) => {
    const request = paymentInput({ amountMinor: minor });
    await provider.createPayment(request);
    expect(emu.link(request.paymentId)!.amount).toBe(number);
    expect((await provider.getPayment(request.paymentId)).amountMinor).toBe(minor);
  });

  it('writes decimal amounts verbatim into the JSON body', () => {
    expect(jsonWithAmount('299.00', { currency: 'RUB' })).toBe('{"amount":299.00,"currency":"RUB"}');
    expect(jsonWithAmount('0.01', {})).toBe('{"amount":0.01}');
    expect(() => jsonWithAmount('1e3', {})).toThrow(RangeError);
  });

  it('refuses amounts below the 10 RUB minimum with the provider error, and unsupported currencies', async () => {
    expect(await catchPaymentError(provider.createPayment(paymentInput({ amountMinor: 1 })))).toMatchObject({
      code: 'rejected',
      details: { status: 400 },
    });
    expect((await catchPaymentError(provider.createPayment(paymentInput({ currency: 'KZT' })))).code).toBe('rejected');
  });

  it('re-creating an order returns the open link, and after payment no second link is made', async () => {
    const request = paymentInput();
    const first = await provider.createPayment(request);
    const again = await provider.createPayment({ ...request, idempotencyKey: randomUUID() });
    expect(again.confirmationUrl).toBe(first.confirmationUrl);
    expect((await catchPaymentError(provider.createPayment({ ...request, amountMinor: 29900 }))).code).toBe('rejected');
    emu.pay(request.paymentId);
    expect(await provider.createPayment(request)).toEqual({ externalId: request.paymentId, status: 'succeeded' });
  });

  it('reports declines as failed with the code, expiry as cancelled, unknown orders as not_found', async () => {
    const declined = paymentInput();
    await provider.createPayment(declined);
    const notification = await nextNotification(() => emu.decline(declined.paymentId, 'InsufficientFunds'));
    expect(await provider.verifyNotification(notification)).toMatchObject({ status: 'failed', failureReason: 'InsufficientFunds' });
    expect((await provider.getPayment(declined.paymentId)).status).toBe('pending');
    emu.expireLink(declined.paymentId);
    expect(await provider.getPayment(declined.paymentId)).toMatchObject({ status: 'failed', failureReason: 'InsufficientFunds' });

    const abandoned = paymentInput();
    await provider.createPayment(abandoned);
    emu.expireLink(abandoned.paymentId);
    expect((await provider.getPayment(abandoned.paymentId)).status).toBe('cancelled');
    expect((await catchPaymentError(provider.getPayment(randomUUID()))).code).toBe('not_found');
    const wrong = createWataProvider({ token: 'nope', apiUrl: emu.apiUrl });
    expect((await catchPaymentError(wrong.getPayment(abandoned.paymentId))).code).toBe('not_configured');
  });

  it('refunds partially and fully, repeats are not doubled, and the refund webhook verifies', async () => {
    const request = paymentInput({ amountMinor: 100001 });
    await provider.createPayment(request);
    emu.pay(request.paymentId);
    const partial = await provider.refund({ externalId: request.paymentId, amountMinor: 1, idempotencyKey: randomUUID() });
    expect(partial.status).toBe('succeeded');
    expect((await provider.refund({ externalId: request.paymentId, amountMinor: 1, idempotencyKey: randomUUID() })).refundId).toBe(
      partial.refundId,
    );
    expect((await provider.getPayment(request.paymentId)).status).toBe('succeeded');
    expect(
      (await catchPaymentError(provider.refund({ externalId: request.paymentId, amountMinor: 100001, idempotencyKey: randomUUID() }))).code,
    ).toBe('rejected');

    const before = receiver.received.length;
    const rest = await provider.refund({ externalId: request.paymentId, amountMinor: 100000, idempotencyKey: randomUUID() });
    const [refundHook] = (await receiver.waitFor(before + 1)).slice(before);
    expect(await provider.verifyNotification(refundHook!)).toMatchObject({
      status: 'refunded',
      amountMinor: 100000,
      refund: { refundId: rest.refundId, amountMinor: 100000, status: 'succeeded' },
      eventId: `${rest.refundId}:Paid`,
    });
    expect((await provider.getPayment(request.paymentId)).status).toBe('refunded');
  });

  describe('verifyNotification', () => {
    let genuine: IncomingNotification;
    beforeAll(async () => {
      const request = paymentInput();
      await provider.createPayment(request);
      genuine = await nextNotification(() => emu.pay(request.paymentId));
    });

    it('accepts duplicates with one event id', async () => {
      await emu.redeliver(emu.notifications.at(-1)!.id, 1);
      expect((await provider.verifyNotification(receiver.received.at(-1)!)).eventId).toBe(
        (await provider.verifyNotification(genuine)).eventId,
      );
    });

    it.each(['body', 'signature', 'missing-signature'] as const)('rejects a %s forgery', async (kind) => {
      await emu.deliverTampered(kind);
      expect((await catchPaymentError(provider.verifyNotification(receiver.received.at(-1)!))).code).toBe('forged');
    });

    it('rejects a non-base64 signature, and malformed JSON whether signed or not', async () => {
      expect((await catchPaymentError(provider.verifyNotification({ ...genuine, headers: { 'x-signature': '%%%' } }))).code).toBe('forged');
      const rawBody = Buffer.from('{"transactionId":');
      expect((await catchPaymentError(provider.verifyNotification({ rawBody, headers: genuine.headers, ip: '' }))).code).toBe('forged');
      expect(
        (await catchPaymentError(provider.verifyNotification({ rawBody, headers: emu.signatureHeaders(rawBody.toString()), ip: '' }))).code,
      ).toBe('malformed');
    });

    it('refetches the public key once when WATA rotates it, and not for every forgery', async () => {
      const fresh = createWataProvider({ token: emu.token, apiUrl: emu.apiUrl, publicKeyRefreshMinIntervalMs: 0 });
      await fresh.verifyNotification(genuine);
      const fetched = emu.publicKeyRequests;
      emu.rotateKey();
      const request = paymentInput();
      await fresh.createPayment(request);
      const rotated = await nextNotification(() => emu.pay(request.paymentId));
      await expect(fresh.verifyNotification(rotated)).resolves.toMatchObject({ status: 'succeeded' });
      expect(emu.publicKeyRequests).toBe(fetched + 1);

      const throttled = createWataProvider({ token: emu.token, apiUrl: emu.apiUrl, publicKeyRefreshMinIntervalMs: 60_000 });
      await throttled.verifyNotification(rotated);
      const afterFirst = emu.publicKeyRequests;
      for (let i = 0; i < 3; i++)
        expect(
          (await catchPaymentError(throttled.verifyNotification({ ...rotated, rawBody: Buffer.from(`${rotated.rawBody.toString()} `) })))
            .code,
        ).toBe('forged');
      expect(emu.publicKeyRequests).toBe(afterFirst);
    });
  });
});

describe('WATA link lifetime at the minimum (issue 11 item 13)', () => {
  it("is measured from WATA's clock: a terminal a minute ahead of us does not refuse a 10-minute link", async () => {
    const ahead = await createWataEmulator({ retryDelaysMs: [], clockOffsetMs: 60_000 });
    try {
      const shortLived = createWataProvider({ token: ahead.token, apiUrl: ahead.apiUrl, timeoutMs: 2_000, linkTtlMinutes: 10 });
      const created = await shortLived.createPayment(paymentInput());
      expect(created.status).toBe('pending');
      const lifetime = Date.parse(String(ahead.link(created.externalId)?.expirationDateTime)) - (Date.now() + 60_000);
      expect(lifetime).toBeGreaterThan(10 * 60_000 - 5_000);
    } finally {
      await ahead.close();
    }
  });
});
