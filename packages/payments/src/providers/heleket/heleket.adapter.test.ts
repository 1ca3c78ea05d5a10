import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingNotification, PaymentProvider } from '../../provider.js';
import {
  catchPaymentError,
  createHeleketEmulator,
  createWebhookReceiver,
  paymentInput,
  type HeleketEmulator,
  type WebhookReceiver,
} from '../../testing/index.js';
import { createHeleketProvider, HELEKET_WEBHOOK_IPS } from './heleket.adapter.js';
import { heleketSign } from './heleket.signature.js';

const SENDER = HELEKET_WEBHOOK_IPS[0]!;
let emu: HeleketEmulator;
let receiver: WebhookReceiver;
let provider: PaymentProvider;

beforeAll(async () => {
  receiver = await createWebhookReceiver();
  emu = await createHeleketEmulator({ retryDelaysMs: [], webhookUrl: receiver.url, sourceIp: SENDER });
  provider = createHeleketProvider({ merchantId: emu.merchantId, paymentKey: emu.paymentKey, apiUrl: emu.apiUrl, timeoutMs: 2_000 });
});

afterAll(async () => {
  await emu.close();
  await receiver.close();
});

/** As the webhooks service sees it behind one trusted proxy: the sender is the X-Forwarded-For hop. */
const asSeen = (n: IncomingNotification): IncomingNotification => ({
  ...n,
  ip: (n.headers['x-forwarded-for'] as string | undefined) ?? n.ip,
});
const raw = (built: { body: string; headers: Record<string, string> }): IncomingNotification =>
  asSeen({ rawBody: Buffer.from(built.body), headers: built.headers, ip: '127.0.0.1' });

async function next(act: () => unknown): Promise<IncomingNotification> {
  const before = receiver.received.length;
  act();
  const [n] = (await receiver.waitFor(before + 1)).slice(before);
  return asSeen(n!);
}

describe('Heleket adapter against the emulator', () => {
  it('creates an invoice keyed by our payment id, the payer pays, and the webhook verifies with exact amounts', async () => {
    const request = paymentInput();
    const created = await provider.createPayment(request);
    expect(created).toMatchObject({ status: 'pending', confirmationUrl: `${emu.url}/pay/${created.externalId}` });
    expect(created.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(emu.invoice(created.externalId)).toMatchObject({ order_id: request.paymentId, amount: '199.00', currency: 'RUB' });

    const verified = await provider.verifyNotification(await next(() => emu.pay(created.externalId)));
    expect(verified).toMatchObject({
      provider: 'heleket',
      eventId: `${created.externalId}:paid`,
      externalId: created.externalId,
      paymentId: request.paymentId,
      status: 'succeeded',
      amountMinor: 19900,
      currency: 'RUB',
    });
    expect(await provider.getPayment(created.externalId)).toMatchObject({ status: 'succeeded', amountMinor: 19900 });
  });

  it.each([
    [1, '0.01'],
    [100001, '1000.01'],
    [19990, '199.90'],
  ])('prices %i kopecks as %s and reads it back exactly', async (minor, text) => {
    const created = await provider.createPayment(paymentInput({ amountMinor: minor }));
    expect(emu.invoice(created.externalId)!.amount).toBe(text);
    expect((await provider.getPayment(created.externalId)).amountMinor).toBe(minor);
  });

  it('a repeated create is the same invoice (order_id idempotency); the order id with another amount is refused', async () => {
    const request = paymentInput();
    const [a, b] = await Promise.all([provider.createPayment(request), provider.createPayment(request)]);
    expect(b.externalId).toBe(a.externalId);
    expect((await catchPaymentError(provider.createPayment({ ...request, amountMinor: 100 }))).code).toBe('rejected');
  });

  it('reads paid_over as paid, an underpayment as pending until final, expiry as cancelled; unknown → not_found; bad key → not_configured', async () => {
    const over = await provider.createPayment(paymentInput());
    emu.pay(over.externalId, { status: 'paid_over' });
    expect(await provider.getPayment(over.externalId)).toMatchObject({ status: 'succeeded', amountMinor: 19900 });
    const under = await provider.createPayment(paymentInput());
    emu.pay(under.externalId, { status: 'wrong_amount' });
    expect((await provider.getPayment(under.externalId)).status).toBe('pending');
    emu.setStatus(under.externalId, 'wrong_amount', true);
    expect(await provider.getPayment(under.externalId)).toMatchObject({ status: 'failed', failureReason: 'wrong_amount' });
    const expired = await provider.createPayment(paymentInput());
    emu.expire(expired.externalId);
    expect((await provider.getPayment(expired.externalId)).status).toBe('cancelled');
    expect((await catchPaymentError(provider.getPayment('00000000-0000-4000-8000-000000000000'))).code).toBe('not_found');
    const wrong = createHeleketProvider({ merchantId: emu.merchantId, paymentKey: 'wrong', apiUrl: emu.apiUrl });
    expect(await catchPaymentError(wrong.getPayment(expired.externalId))).toMatchObject({
      code: 'not_configured',
      details: { status: 401 },
    });
    expect((await catchPaymentError(provider.createPayment(paymentInput({ currency: 'XYZ' })))).code).toBe('rejected');
  });

  it('has no refund or cancel call and says so', async () => {
    expect(provider.capabilities).toMatchObject({ refund: false, cancel: false });
    expect((await catchPaymentError(provider.refund({ externalId: 'x', amountMinor: 1, idempotencyKey: 'k' }))).code).toBe('rejected');
    expect(await provider.cancelPayment('x')).toBe('not_supported');
  });

  it('signs requests over the exact bytes: md5(base64(body) + key)', () => {
    expect(heleketSign('', 'key')).toBe('3c6e0b8a9c15224a8228b9a98ca1531d');
    expect(heleketSign('{"a":1}', 'key')).toMatch(/^[0-9a-f]{32}$/);
  });

  describe('verifyNotification', () => {
    let genuine: IncomingNotification;
    let externalId: string;
    beforeAll(async () => {
      externalId = (await provider.createPayment(paymentInput())).externalId;
      genuine = await next(() => emu.pay(externalId));
    });

    it('accepts a duplicate with the same event id', async () => {
      const copy = await next(() => void emu.redeliver(emu.notifications.at(-1)!.id, 1));
      expect((await provider.verifyNotification(copy)).eventId).toBe((await provider.verifyNotification(genuine)).eventId);
    });

    it.each(['body', 'signature', 'missing-signature', 'sender'] as const)('rejects a %s forgery', async (kind) => {
      const before = receiver.received.length;
      expect(await emu.deliverTampered(kind)).toBe(200);
      const forged = asSeen((await receiver.waitFor(before + 1))[before]!);
      expect((await catchPaymentError(provider.verifyNotification(forged))).code).toBe('forged');
    });

    it('verifies the PHP `\\/` escaping quirk: sign over `\\/`, whether the body escapes slashes or not', async () => {
      const escaped = emu.buildWebhook(externalId, { additional_data: 'https://t.me/vpn_bot' });
      expect(escaped.body).toContain('https:\\/\\/t.me\\/vpn_bot');
      await expect(provider.verifyNotification(raw(escaped))).resolves.toMatchObject({ status: 'succeeded' });
      const plain = await createHeleketEmulator({ escapeSlashes: false, paymentKey: emu.paymentKey, sourceIp: SENDER });
      try {
        const other = createHeleketProvider({ merchantId: plain.merchantId, paymentKey: plain.paymentKey, apiUrl: plain.apiUrl });
        const id = (await other.createPayment(paymentInput())).externalId;
        plain.hold();
        plain.pay(id);
        const body = plain.buildWebhook(id, { additional_data: 'a/b' });
        expect(body.body).toContain('"a/b"');
        await expect(other.verifyNotification(raw(body))).resolves.toMatchObject({ status: 'succeeded' });
      } finally {
        await plain.close();
      }
    });

    it('rejects a claim the invoice contradicts, and acknowledges a late earlier state as replayed', async () => {
      const pending = (await provider.createPayment(paymentInput())).externalId;
      const claim = emu.buildWebhook(pending, { status: 'paid', is_final: true });
      expect((await catchPaymentError(provider.verifyNotification(raw(claim)))).code).toBe('forged');
      const late = emu.buildWebhook(externalId, { status: 'confirm_check', is_final: false });
      expect((await catchPaymentError(provider.verifyNotification(raw(late)))).code).toBe('replayed');
      const otherOrder = emu.buildWebhook(externalId, { order_id: 'someone-else' });
      expect((await catchPaymentError(provider.verifyNotification(raw(otherOrder)))).code).toBe('forged');
    });

    it('ignores wallet webhooks and refuses malformed bodies', async () => {
      const wallet = emu.buildWebhook(externalId, { type: 'wallet' });
      expect((await catchPaymentError(provider.verifyNotification(raw(wallet)))).code).toBe('replayed');
      const junk = { rawBody: Buffer.from('{"type":'), headers: {}, ip: SENDER };
      expect((await catchPaymentError(provider.verifyNotification(junk))).code).toBe('malformed');
    });

    it('checks the sender only when an allow-list is configured', async () => {
      const open = createHeleketProvider({ merchantId: emu.merchantId, paymentKey: emu.paymentKey, apiUrl: emu.apiUrl, allowedIps: [] });
      await expect(open.verifyNotification({ ...genuine, ip: '203.0.113.9' })).resolves.toMatchObject({ status: 'succeeded' });
      expect((await catchPaymentError(provider.verifyNotification({ ...genuine, ip: '203.0.113.9' }))).code).toBe('forged');
    });
  });
});
