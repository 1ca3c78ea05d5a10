import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingNotification, PaymentProvider } from '../../provider.js';
import {
  catchPaymentError,
  createWebhookReceiver,
  createXRocketEmulator,
  paymentInput,
  type WebhookReceiver,
  type XRocketEmulator,
} from '../../testing/index.js';
import { cryptoPaySignature } from '../cryptopay/cryptopay.signature.js';
import { createXRocketProvider, cryptoAmount } from './xrocket.adapter.js';

let emu: XRocketEmulator;
let receiver: WebhookReceiver;
let provider: PaymentProvider;
const RATE = 95;

beforeAll(async () => {
  receiver = await createWebhookReceiver();
  emu = await createXRocketEmulator({ retryDelaysMs: [], webhookUrl: receiver.url });
  provider = createXRocketProvider({ token: emu.token, apiUrl: emu.apiUrl, rate: RATE, timeoutMs: 2_000 });
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

describe('xRocket Pay adapter against the emulator', () => {
  it('matches the spec test vector: HMAC-SHA-256 keyed by the raw SHA-256 of the token, over the raw body', () => {
    const body = '{"type":"invoicePay","timestamp":"2025-06-01T10:05:00.000Z","data":{"id":4242,"status":"paid"}}';
    expect(cryptoPaySignature('TEST-APP-TOKEN-123', body)).toBe('20c03543842a19c685a9008641df32a04f65054950ca8a313eefc1931d3d3750');
  });

  it('converts the fiat price into the asset, rounded up', () => {
    expect(cryptoAmount(19900, 'RUB', 95, 2)).toBe('2.10');
    expect(cryptoAmount(9500, 'RUB', 95, 2)).toBe('1.00');
    expect(cryptoAmount(110, 'USD', 1.1, 2)).toBe('1.00');
  });

  it('creates a USDT invoice for a rouble price, the payer pays, and the webhook verifies as the rouble amount', async () => {
    const request = paymentInput();
    const created = await provider.createPayment(request);
    expect(created).toMatchObject({ status: 'pending', confirmationUrl: `${emu.url}/pay/${created.externalId}` });
    expect(emu.invoice(created.externalId)).toMatchObject({ amount: 2.1, currency: 'USDT', status: 'active' });
    const verified = await provider.verifyNotification(await next(() => emu.pay(created.externalId)));
    expect(verified).toMatchObject({
      provider: 'xrocket',
      eventId: `invoicePay:${created.externalId}`,
      paymentId: request.paymentId,
      status: 'succeeded',
      amountMinor: 19900,
      currency: 'RUB',
    });
    expect(await provider.getPayment(created.externalId)).toMatchObject({ status: 'succeeded', amountMinor: 19900 });
  });

  it('an underpaid invoice is reported pro rata (settlement refuses it); expiry is cancelled; the vendor quirks parse', async () => {
    const under = await provider.createPayment(paymentInput());
    emu.pay(under.externalId, { amount: 1.05 });
    expect((await provider.getPayment(under.externalId)).amountMinor).toBe(9950);
    const expired = await provider.createPayment(paymentInput());
    emu.expire(expired.externalId);
    expect((await provider.getPayment(expired.externalId)).status).toBe('cancelled');
    const quirky = await createXRocketEmulator({ vendorQuirks: true, badKeyStatus: 403 });
    try {
      const other = createXRocketProvider({ token: quirky.token, apiUrl: quirky.apiUrl, rate: RATE });
      const created = await other.createPayment(paymentInput());
      quirky.pay(created.externalId);
      expect(await other.getPayment(created.externalId)).toMatchObject({ status: 'succeeded', amountMinor: 19900 });
      const wrong = createXRocketProvider({ token: 'wrong', apiUrl: quirky.apiUrl, rate: RATE });
      expect((await catchPaymentError(wrong.getPayment(created.externalId))).code).toBe('not_configured');
    } finally {
      await quirky.close();
    }
    expect((await catchPaymentError(provider.getPayment('99999999'))).code).toBe('not_found');
  });

  it('cancels an unpaid invoice by deleting it, keeps a paid one; no refund API', async () => {
    const unpaid = await provider.createPayment(paymentInput());
    expect(await provider.cancelPayment(unpaid.externalId)).toBe('cancelled');
    expect(emu.invoice(unpaid.externalId)).toBeUndefined();
    expect(await provider.cancelPayment(unpaid.externalId)).toBe('cancelled');
    const paid = await provider.createPayment(paymentInput());
    emu.hold();
    emu.pay(paid.externalId);
    expect(await provider.cancelPayment(paid.externalId)).toBe('paid');
    await emu.release();
    expect(provider.capabilities.refund).toBe(false);
    expect((await catchPaymentError(provider.refund({ externalId: '1', amountMinor: 1, idempotencyKey: 'k' }))).code).toBe('rejected');
  });

  it('a create whose answer is lost times out (no idempotency: the bot keeps one payment per checkout)', async () => {
    const quick = createXRocketProvider({ token: emu.token, apiUrl: emu.apiUrl, rate: RATE, timeoutMs: 300 });
    emu.loseNextCreateResponse();
    expect((await catchPaymentError(quick.createPayment(paymentInput()))).code).toBe('timeout');
  });

  describe('verifyNotification', () => {
    let externalId: string;
    let genuine: IncomingNotification;
    beforeAll(async () => {
      externalId = (await provider.createPayment(paymentInput())).externalId;
      genuine = await next(() => emu.pay(externalId));
    });

    it('accepts a duplicate with the same event id, and a re-spaced body signed over its own bytes', async () => {
      const copy = await next(() => emu.redeliver(emu.notifications.at(-1)!.id, 1));
      expect((await provider.verifyNotification(copy)).eventId).toBe((await provider.verifyNotification(genuine)).eventId);
      const pretty = await next(() => emu.deliverTampered('pretty'));
      expect((await provider.verifyNotification(pretty)).eventId).toBe(`invoicePay:${externalId}`);
    });

    it.each(['body', 'signature', 'missing-signature', 'hex-key'] as const)('rejects a %s forgery', async (kind) => {
      const forged = await next(() => emu.deliverTampered(kind));
      expect((await catchPaymentError(provider.verifyNotification(forged))).code).toBe('forged');
    });

    it('ignores other webhook types; an invoicePay for an unpaid invoice is forged', async () => {
      expect(await catchPaymentError(provider.verifyNotification(raw(emu.buildWebhook(externalId, 'subscriptionPay'))))).toMatchObject({
        code: 'replayed',
      });
      const unpaid = (await provider.createPayment(paymentInput())).externalId;
      expect(await catchPaymentError(provider.verifyNotification(raw(emu.buildWebhook(unpaid))))).toMatchObject({ code: 'forged' });
    });

    it('a late invoicePay after the invoice was polled paid names the same event', async () => {
      expect((await provider.getPayment(externalId)).status).toBe('succeeded');
      expect((await provider.verifyNotification(raw(emu.buildWebhook(externalId)))).eventId).toBe(`invoicePay:${externalId}`);
    });
  });
});
