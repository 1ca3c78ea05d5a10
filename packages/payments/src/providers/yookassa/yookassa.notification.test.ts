import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentError, type IncomingNotification, type PaymentProvider } from '../../provider.js';
import { createWebhookReceiver, createYooKassaEmulator, type WebhookReceiver, type YooKassaEmulator } from '../../testing/index.js';
import { createYooKassaProvider } from './yookassa.adapter.js';

let emu: YooKassaEmulator;
let receiver: WebhookReceiver;
let provider: PaymentProvider;

beforeAll(async () => {
  receiver = await createWebhookReceiver();
  emu = await createYooKassaEmulator({ retryDelaysMs: [20, 40], webhookUrl: receiver.url, requireReceipt: false });
  provider = createYooKassaProvider({
    shopId: emu.shopId,
    secretKey: emu.secretKey,
    apiUrl: emu.apiUrl,
    allowedIps: ['127.0.0.1'],
    receipt: { enabled: false },
  });
});

afterAll(async () => {
  await emu.close();
  await receiver.close();
});

async function createPayment() {
  return provider.createPayment({
    paymentId: randomUUID(),
    idempotencyKey: randomUUID(),
    amountMinor: 19900,
    currency: 'RUB',
    description: 'VPN',
    customer: { telegramId: 1 },
    returnUrl: 'https://t.me/vpn_bot',
  });
}

async function errorOf(notification: IncomingNotification): Promise<PaymentError> {
  const error = await provider.verifyNotification(notification).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PaymentError);
  return error as PaymentError;
}

function fabricated(event: string, object: unknown, ip = '127.0.0.1'): IncomingNotification {
  return {
    rawBody: Buffer.from(JSON.stringify({ type: 'notification', event, object })),
    headers: { 'content-type': 'application/json' },
    ip,
  };
}

describe('YooKassa notification verification', () => {
  it('accepts the genuine one, duplicates keep the same event id, and refuses a wrong sender address', async () => {
    const created = await createPayment();
    emu.pay(created.externalId);
    await emu.idle();
    const genuine = receiver.received.at(-1)!;
    const ok = await provider.verifyNotification(genuine);
    await emu.redeliver(emu.notifications.at(-1)!.id, 2);
    const copies = await Promise.all(receiver.received.slice(-2).map((n) => provider.verifyNotification(n)));
    expect(copies.map((c) => c.eventId)).toEqual([ok.eventId, ok.eventId]);

    expect(await errorOf({ ...genuine, ip: '10.0.0.7' })).toMatchObject({ code: 'forged' });
    const strict = createYooKassaProvider({ shopId: emu.shopId, secretKey: emu.secretKey, apiUrl: emu.apiUrl });
    await expect(strict.verifyNotification(genuine)).rejects.toMatchObject({ code: 'forged' });
    await expect(strict.verifyNotification({ ...genuine, ip: '185.71.76.9' })).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('refuses a notification whose claimed status disagrees with the re-read payment', async () => {
    const created = await createPayment();
    const pending = emu.payment(created.externalId)!;
    const claim = { ...pending, status: 'succeeded', paid: true };
    expect(await emu.deliverFabricated('payment.succeeded', claim)).toBe(200);
    const delivered = receiver.received.at(-1)!;
    const error = await errorOf(delivered);
    expect(error.code).toBe('forged');
    expect(error.message).toContain('is pending');
  });

  it('refuses a claimed amount that differs from the payment, and an id YooKassa does not know', async () => {
    const created = await createPayment();
    emu.pay(created.externalId);
    const paid = emu.payment(created.externalId)!;
    expect((await errorOf(fabricated('payment.succeeded', { ...paid, amount: { value: '1.00', currency: 'RUB' } }))).code).toBe('forged');
    expect((await errorOf(fabricated('payment.succeeded', { ...paid, id: randomUUID() }))).code).toBe('forged');
    expect((await errorOf(fabricated('payment.canceled', { ...paid, status: 'succeeded' }))).code).toBe('forged');
  });

  it('treats a late waiting_for_capture as replayed, not forged', async () => {
    const created = await createPayment();
    emu.pay(created.externalId);
    const paid = emu.payment(created.externalId)!;
    const stale = fabricated('payment.waiting_for_capture', { ...paid, status: 'waiting_for_capture' });
    expect((await errorOf(stale)).code).toBe('replayed');
  });

  it.each([
    ['malformed JSON', Buffer.from('{"type":"notification","event":'), 'malformed'],
    [
      'a tampered body (one byte changed)',
      Buffer.from('{"type":"notificatioN","event":"payment.succeeded","object":{"id":"x"}}'),
      'malformed',
    ],
    ['an unknown event', Buffer.from('{"type":"notification","event":"payout.succeeded","object":{"id":"x"}}'), 'malformed'],
    ['an object without id', Buffer.from('{"type":"notification","event":"payment.succeeded","object":{}}'), 'malformed'],
  ])('rejects %s', async (_name, rawBody, code) => {
    expect((await errorOf({ rawBody, headers: {}, ip: '127.0.0.1' })).code).toBe(code);
  });

  it('delivers out of order and retries on non-2xx, and every copy still verifies', async () => {
    let calls = 0;
    const flaky = await createWebhookReceiver({ respond: () => (++calls === 1 ? 500 : 200) });
    emu.setWebhookUrl(flaky.url);
    try {
      emu.hold();
      const a = await createPayment();
      const b = await createPayment();
      emu.pay(a.externalId);
      emu.fail(b.externalId, 'insufficient_funds');
      await emu.release({ reverse: true });
      await emu.idle();
      const events = flaky.received.map((n) => (JSON.parse(n.rawBody.toString()) as { event: string }).event);
      expect(events).toEqual(['payment.canceled', 'payment.canceled', 'payment.succeeded']);
      expect(emu.attempts.slice(-3).map((x) => x.status)).toEqual([500, 200, 200]);
      const verified = await Promise.all(flaky.received.map((n) => provider.verifyNotification(n)));
      expect(verified.map((v) => v.status)).toEqual(['failed', 'failed', 'succeeded']);
    } finally {
      emu.setWebhookUrl(receiver.url);
      await flaky.close();
    }
  });
});
