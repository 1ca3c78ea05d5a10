import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingNotification, PaymentProvider } from '../../provider.js';
import {
  catchPaymentError,
  paymentInput,
  createCryptoPayEmulator,
  createWebhookReceiver,
  type CryptoPayEmulator,
  type WebhookReceiver,
} from '../../testing/index.js';
import { createCryptoPayProvider } from './cryptopay.adapter.js';
import { cryptoPaySignature } from './cryptopay.signature.js';

let emu: CryptoPayEmulator;
let receiver: WebhookReceiver;
let provider: PaymentProvider;

beforeAll(async () => {
  receiver = await createWebhookReceiver();
  emu = await createCryptoPayEmulator({ retryDelaysMs: [20, 40], webhookUrl: receiver.url });
  provider = createCryptoPayProvider({ token: emu.token, apiUrl: emu.apiUrl, timeoutMs: 2_000 });
});

afterAll(async () => {
  await emu.close();
  await receiver.close();
});

/** Pays the invoice in the emulator and returns the update as the receiver got it. */
async function payAndReceive(externalId: string): Promise<IncomingNotification> {
  const before = receiver.received.length;
  emu.pay(externalId);
  const [notification] = (await receiver.waitFor(before + 1)).slice(before);
  return notification!;
}

describe('CryptoPay adapter against the emulator', () => {
  it('creates a fiat invoice, the customer pays, and the signed update verifies with exact amounts', async () => {
    const request = paymentInput();
    const created = await provider.createPayment(request);
    expect(created).toMatchObject({
      status: 'pending',
      confirmationUrl: expect.stringMatching(/^https:\/\/t\.me\/CryptoTestnetBot\?start=IV/),
    });
    expect(created.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    const invoice = emu.invoice(created.externalId)!;
    expect(invoice).toMatchObject({
      currency_type: 'fiat',
      fiat: 'RUB',
      amount: '199',
      payload: request.paymentId,
      paid_btn_url: 'https://t.me/vpn_bot',
    });

    const verified = await provider.verifyNotification(await payAndReceive(created.externalId));
    expect(verified).toMatchObject({
      provider: 'cryptopay',
      eventId: `invoice_paid:${created.externalId}`,
      externalId: created.externalId,
      paymentId: request.paymentId,
      status: 'succeeded',
      amountMinor: 19900,
      currency: 'RUB',
    });
    expect(await provider.getPayment(created.externalId)).toMatchObject({
      status: 'succeeded',
      amountMinor: 19900,
      paymentId: request.paymentId,
    });
  });

  it.each([
    [1, '0.01'],
    [100001, '1000.01'],
    [19990, '199.9'],
  ])('prices %i kopecks as %s and reads it back exactly', async (minor, normalised) => {
    const created = await provider.createPayment(paymentInput({ amountMinor: minor }));
    expect(emu.invoice(created.externalId)!.amount).toBe(normalised);
    expect((await provider.getPayment(created.externalId)).amountMinor).toBe(minor);
  });

  it('repeats a create with the same key without a second invoice, and refuses the key for another request', async () => {
    const request = paymentInput();
    const [a, b] = await Promise.all([provider.createPayment(request), provider.createPayment(request)]);
    expect(b.externalId).toBe(a.externalId);
    expect((await provider.createPayment(request)).externalId).toBe(a.externalId);
    expect((await catchPaymentError(provider.createPayment({ ...request, amountMinor: 1 }))).code).toBe('rejected');
  });

  it('reports expiry as cancelled, unknown invoices as not_found, a bad token as not_configured', async () => {
    const created = await provider.createPayment(paymentInput());
    emu.expire(created.externalId);
    expect((await provider.getPayment(created.externalId)).status).toBe('cancelled');
    expect((await catchPaymentError(provider.getPayment('999999999'))).code).toBe('not_found');
    const wrong = createCryptoPayProvider({ token: '1:wrong', apiUrl: emu.apiUrl });
    expect(await catchPaymentError(wrong.getPayment(created.externalId))).toMatchObject({
      code: 'not_configured',
      details: { status: 401, providerCode: 'UNAUTHORIZED' },
    });
    expect(await catchPaymentError(provider.createPayment(paymentInput({ currency: 'XTR' })))).toMatchObject({ code: 'rejected' });
  });

  it('cancels an unpaid invoice with deleteInvoice, but keeps a paid one', async () => {
    expect(provider.capabilities.cancel).toBe(true);
    const unpaid = await provider.createPayment(paymentInput());
    expect(await provider.cancelPayment(unpaid.externalId)).toBe('cancelled');
    expect(emu.invoice(unpaid.externalId)).toBeUndefined();
    expect(await provider.cancelPayment(unpaid.externalId)).toBe('cancelled');
    const paid = await provider.createPayment(paymentInput());
    await payAndReceive(paid.externalId);
    expect(await provider.cancelPayment(paid.externalId)).toBe('paid');
    expect((await provider.getPayment(paid.externalId)).status).toBe('succeeded');
  });

  it('has no refund API and says so', async () => {
    expect(provider.capabilities.refund).toBe(false);
    expect((await catchPaymentError(provider.refund({ externalId: '1', amountMinor: 1, idempotencyKey: 'k' }))).code).toBe('rejected');
  });

  describe('verifyNotification', () => {
    let genuine: IncomingNotification;
    beforeAll(async () => {
      const created = await provider.createPayment(paymentInput());
      genuine = await payAndReceive(created.externalId);
    });

    it('accepts duplicates with the same event id', async () => {
      await emu.redeliver(emu.notifications.at(-1)!.id, 1);
      const copy = receiver.received.at(-1)!;
      expect((await provider.verifyNotification(copy)).eventId).toBe((await provider.verifyNotification(genuine)).eventId);
    });

    it.each(['body', 'signature', 'missing-signature'] as const)('rejects a %s forgery delivered by the emulator', async (kind) => {
      expect(await emu.deliverTampered(kind)).toBe(200);
      expect((await catchPaymentError(provider.verifyNotification(receiver.received.at(-1)!))).code).toBe('forged');
    });

    it('rejects a signature made with another token and a non-hex signature', async () => {
      const other = { ...genuine, headers: { 'crypto-pay-api-signature': cryptoPaySignature('2:other', genuine.rawBody) } };
      expect((await catchPaymentError(provider.verifyNotification(other))).code).toBe('forged');
      const junk = { ...genuine, headers: { 'crypto-pay-api-signature': 'zz' } };
      expect((await catchPaymentError(provider.verifyNotification(junk))).code).toBe('forged');
    });

    it('rejects malformed JSON even when correctly signed', async () => {
      const rawBody = Buffer.from('{"update_id":1,');
      const signed = { rawBody, headers: { 'crypto-pay-api-signature': cryptoPaySignature(emu.token, rawBody) }, ip: '127.0.0.1' };
      expect((await catchPaymentError(provider.verifyNotification(signed))).code).toBe('malformed');
    });

    it('rejects an update older than the replay window but accepts a 3-day-old retry', async () => {
      const created = await provider.createPayment(paymentInput());
      emu.pay(created.externalId);
      const at = (days: number) => new Date(Date.now() - days * 86_400_000);
      const old = emu.buildUpdate(created.externalId, { requestDate: at(5) });
      expect(
        (await catchPaymentError(provider.verifyNotification({ rawBody: Buffer.from(old.body), headers: old.headers, ip: '' }))).code,
      ).toBe('replayed');
      const retry = emu.buildUpdate(created.externalId, { requestDate: at(3) });
      await expect(
        provider.verifyNotification({ rawBody: Buffer.from(retry.body), headers: retry.headers, ip: '' }),
      ).resolves.toMatchObject({ status: 'succeeded' });
      const strict = createCryptoPayProvider({ token: emu.token, apiUrl: emu.apiUrl, webhookMaxAgeSeconds: 60 });
      const minuteOld = emu.buildUpdate(created.externalId, { requestDate: new Date(Date.now() - 61_000) });
      expect(
        (await catchPaymentError(strict.verifyNotification({ rawBody: Buffer.from(minuteOld.body), headers: minuteOld.headers, ip: '' })))
          .code,
      ).toBe('replayed');
    });
  });
});
