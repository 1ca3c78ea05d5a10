import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingNotification, PaymentProvider } from '../../provider.js';
import {
  catchPaymentError,
  createSeverpayEmulator,
  createWebhookReceiver,
  paymentInput,
  type SeverpayEmulator,
  type WebhookReceiver,
} from '../../testing/index.js';
import { createSeverpayProvider } from './severpay.adapter.js';
import { isValidSeverpayWebhook, severpayHmac } from './severpay.signature.js';

const TOKEN = 'TEST-SEVERPAY-TOKEN';
let emu: SeverpayEmulator;
let receiver: WebhookReceiver;
let provider: PaymentProvider;

beforeAll(async () => {
  receiver = await createWebhookReceiver({ respond: () => 200 });
  emu = await createSeverpayEmulator({ retryDelaysMs: [], webhookUrl: receiver.url });
  provider = createSeverpayProvider({ mid: emu.mid, token: emu.token, apiUrl: emu.apiUrl, timeoutMs: 2_000 });
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

describe('Sever Pay signatures (severpay.md test vectors)', () => {
  it('signs requests over the sorted unescaped JSON', () => {
    const text =
      '{"amount":299.5,"client_email":"123456789@telegram.org","client_id":"123456789","currency":"RUB","lifetime":60,"mid":1001,"order_id":"vpn-42","salt":"a1b2c3d4e5f60718","url_return":"https://t.me/my_vpn_bot"}';
    expect(severpayHmac(TOKEN, text)).toBe('3acc26ec0818a8000ac5fbfacd346aeb0ab5f5f143dd14cc302190c5a693deec');
  });

  it('accepts a webhook signed in received order or in sorted order, with the number literal kept', () => {
    const data = '{"id":123456,"order_id":"vpn-42","amount":299.5,"currency":"RUB","status":"success"}';
    const received = `{"type":"payin","data":${data},"salt":"9f8e7d6c5b4a","sign":"a845e1a20fedd1b56281d6e3e853486b26793074c662dc3fadd18b08e9f03694"}`;
    const sorted = `{"type":"payin","data":${data},"salt":"9f8e7d6c5b4a","sign":"a67aeb20a42ac986c8228907dd8bfd1fced486792ae2dfe6767d483f8930f239"}`;
    expect(isValidSeverpayWebhook(received, TOKEN)).toBe(true);
    expect(isValidSeverpayWebhook(sorted, TOKEN)).toBe(true);
    expect(isValidSeverpayWebhook(received.replace('299.5', '299.6'), TOKEN)).toBe(false);
    const integral = `{"type":"payin","data":{"amount":100.0},"salt":"s"}`;
    const signed = `${integral.slice(0, -1)},"sign":"${severpayHmac(TOKEN, integral)}"}`;
    expect(isValidSeverpayWebhook(signed, TOKEN)).toBe(true);
  });
});

describe('Sever Pay adapter against the emulator', () => {
  it('creates a link with our id as order_id, the payer pays, and the webhook verifies with exact amounts', async () => {
    const request = paymentInput({ customer: { telegramId: 42 } });
    const created = await provider.createPayment(request);
    expect(created).toMatchObject({ status: 'pending', confirmationUrl: expect.stringContaining(`${emu.url}/pay/`) });
    expect(created.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(emu.payment(created.externalId)).toMatchObject({ order_id: request.paymentId, amount: 199, status: 'new' });
    const verified = await provider.verifyNotification(await next(() => emu.setStatus(created.externalId, 'success')));
    expect(verified).toMatchObject({
      provider: 'severpay',
      eventId: `${created.externalId}:success`,
      paymentId: request.paymentId,
      status: 'succeeded',
      amountMinor: 19900,
      currency: 'RUB',
    });
  });

  it.each([1, 100001, 19990, 29950])(
    'prices %i kopecks exactly (shortest JSON numbers survive the re-encoding) and reads them back',
    async (minor) => {
      const created = await provider.createPayment(paymentInput({ amountMinor: minor }));
      expect((await provider.getPayment(created.externalId)).amountMinor).toBe(minor);
    },
  );

  it('a repeated create is one payment; decline and expiry fail; unknown → not_found; a bad token → not_configured', async () => {
    const request = paymentInput();
    const [a, b] = await Promise.all([provider.createPayment(request), provider.createPayment(request)]);
    expect(b.externalId).toBe(a.externalId);
    emu.setStatus(a.externalId, 'decline');
    expect(await provider.getPayment(a.externalId)).toMatchObject({ status: 'failed', failureReason: 'decline' });
    const expired = await provider.createPayment(paymentInput());
    emu.expire(expired.externalId);
    expect((await provider.getPayment(expired.externalId)).status).toBe('failed');
    expect((await catchPaymentError(provider.getPayment('999'))).code).toBe('not_found');
    const wrong = createSeverpayProvider({ mid: emu.mid, token: 'wrong', apiUrl: emu.apiUrl });
    expect((await catchPaymentError(wrong.getPayment(expired.externalId))).code).toBe('not_configured');
    expect(provider.capabilities).toMatchObject({ refund: false, cancel: false });
    expect((await catchPaymentError(provider.refund({ externalId: '1', amountMinor: 1, idempotencyKey: 'k' }))).code).toBe('rejected');
  });

  describe('verifyNotification', () => {
    let externalId: string;
    let genuine: IncomingNotification;
    beforeAll(async () => {
      externalId = (await provider.createPayment(paymentInput())).externalId;
      await next(() => emu.setStatus(externalId, 'process'));
      genuine = await next(() => emu.setStatus(externalId, 'success'));
    });

    it('accepts a duplicate with the same event id; a late `process` after success is replayed', async () => {
      const copy = await next(() => emu.redeliver(emu.notifications.at(-1)!.id, 1));
      expect((await provider.verifyNotification(copy)).eventId).toBe((await provider.verifyNotification(genuine)).eventId);
      expect(await catchPaymentError(provider.verifyNotification(raw(emu.buildWebhook(externalId, { status: 'process' }))))).toMatchObject({
        code: 'replayed',
      });
    });

    it.each(['body', 'signature', 'missing-signature'] as const)('rejects a %s forgery', async (kind) => {
      const forged = await next(() => emu.deliverTampered(kind));
      expect((await catchPaymentError(provider.verifyNotification(forged))).code).toBe('forged');
    });

    it('a success claimed for an unpaid payment is forged; the test webhook is acknowledged; sorted key order verifies', async () => {
      const unpaid = (await provider.createPayment(paymentInput())).externalId;
      expect(await catchPaymentError(provider.verifyNotification(raw(emu.buildWebhook(unpaid, { status: 'success' }))))).toMatchObject({
        code: 'forged',
      });
      const test = await next(() => emu.sendTest());
      expect((await catchPaymentError(provider.verifyNotification(test))).code).toBe('replayed');
      const sorted = await createSeverpayEmulator({ keyOrder: 'sorted', token: emu.token });
      try {
        const other = createSeverpayProvider({ mid: sorted.mid, token: sorted.token, apiUrl: sorted.apiUrl });
        const id = (await other.createPayment(paymentInput())).externalId;
        sorted.hold();
        sorted.setStatus(id, 'success');
        const hook = sorted.buildWebhook(id);
        expect(hook.body.startsWith('{"data":')).toBe(true);
        await expect(other.verifyNotification(raw(hook))).resolves.toMatchObject({ status: 'succeeded' });
      } finally {
        await sorted.close();
      }
    });

    it('counts a delivery only when the answer is JSON with "status": true, and retries otherwise', async () => {
      const picky = await createWebhookReceiver({ respond: (_n, i) => (i === 0 ? 500 : 200) });
      const strict = await createSeverpayEmulator({ retryDelaysMs: [10, 10], webhookUrl: picky.url });
      try {
        const other = createSeverpayProvider({ mid: strict.mid, token: strict.token, apiUrl: strict.apiUrl });
        const id = (await other.createPayment(paymentInput())).externalId;
        strict.setStatus(id, 'success');
        await strict.idle();
        // The receiver's JSON body is {ok: true}: without "status": true every attempt counts as failed.
        expect(strict.attempts.map((a) => a.status)).toEqual([500, 200, 200]);
      } finally {
        await strict.close();
        await picky.close();
      }
    });
  });
});
