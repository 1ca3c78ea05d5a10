import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heleketSign } from '../providers/heleket/heleket.signature.js';
import {
  createCryptoPayEmulator,
  createHeleketEmulator,
  createWataEmulator,
  createWebhookReceiver,
  createYooKassaEmulator,
  type CryptoPayEmulator,
  type HeleketEmulator,
  type WataEmulator,
  type WebhookReceiver,
  type YooKassaEmulator,
} from './index.js';

/** The emulators' own HTTP behaviour, as a client that is not our adapter would see it. */

let yoo: YooKassaEmulator;
let crypto: CryptoPayEmulator;
let wata: WataEmulator;
let heleket: HeleketEmulator;
let receiver: WebhookReceiver;
let failFirst = 0;

beforeAll(async () => {
  receiver = await createWebhookReceiver({ respond: () => (failFirst-- > 0 ? 503 : 200) });
  [yoo, crypto, wata, heleket] = await Promise.all([
    createYooKassaEmulator({ requireReceipt: false, retryDelaysMs: [10, 10] }),
    createCryptoPayEmulator({ retryDelaysMs: [10, 10], payPage: true }),
    createWataEmulator({ retryDelaysMs: [10, 10] }),
    createHeleketEmulator({ retryDelaysMs: [10, 10] }),
  ]);
});

afterAll(async () => {
  await Promise.all([yoo.close(), crypto.close(), wata.close(), heleket.close()]);
  await receiver.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw provider JSON, inspected field by field
async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('YooKassa emulator', () => {
  const auth = () => `Basic ${Buffer.from(`${yoo.shopId}:${yoo.secretKey}`).toString('base64')}`;
  const create = (key: string | undefined, body: unknown) =>
    call(`${yoo.apiUrl}/payments`, {
      method: 'POST',
      headers: { authorization: auth(), 'content-type': 'application/json', ...(key === undefined ? {} : { 'Idempotence-Key': key }) },
      body: JSON.stringify(body),
    });
  const payment = {
    amount: { value: '10.00', currency: 'RUB' },
    capture: true,
    confirmation: { type: 'redirect', return_url: 'https://t.me/x' },
  };

  it('answers 401 invalid_credentials without Basic auth', async () => {
    const result = await call(`${yoo.apiUrl}/payments/x`);
    expect(result).toMatchObject({
      status: 401,
      body: { type: 'error', code: 'invalid_credentials', description: 'Basic authentication failed' },
    });
  });

  it('requires an Idempotence-Key of at most 64 allowed characters', async () => {
    expect(await create(undefined, payment)).toMatchObject({
      status: 400,
      body: { code: 'invalid_request', parameter: 'Idempotence-Key', description: 'Idempotence key is empty' },
    });
    expect((await create('k'.repeat(65), payment)).body.description).toContain('too long');
    expect((await create('bad key!', payment)).status).toBe(400);
  });

  it('replays the same key and body, refuses the same key with another body, and checks amounts', async () => {
    const first = await create('key-1', payment);
    expect(first.status).toBe(200);
    expect((await create('key-1', payment)).body.id).toBe(first.body.id);
    expect(await create('key-1', { ...payment, description: 'other' })).toMatchObject({
      status: 400,
      body: { description: 'Idempotence key duplicated' },
    });
    expect((await create('key-2', { ...payment, amount: { value: '10.001', currency: 'RUB' } })).body.parameter).toBe('amount.value');
    expect((await create('key-3', { ...payment, amount: { value: 10, currency: 'RUB' } })).status).toBe(400);
    expect((await create('key-4', { amount: payment.amount })).body.description).toBe(
      'Missing confirmation type for payment method type: bank_card',
    );
  });

  it('retries a notification until the receiver answers 2xx, then stops', async () => {
    yoo.setWebhookUrl(receiver.url);
    const created = await create('key-5', payment);
    failFirst = 2;
    yoo.pay(created.body.id as string);
    await yoo.idle();
    expect(yoo.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
  });
});

describe('Crypto Pay emulator', () => {
  const url = (method: string) => `${crypto.apiUrl}/${method}`;
  const headers = () => ({ 'Crypto-Pay-API-Token': crypto.token });

  it('answers the documented error envelope for a bad token, an unknown method and bad parameters', async () => {
    expect(await call(url('getMe'))).toEqual({ status: 401, body: { ok: false, error: { code: 401, name: 'UNAUTHORIZED' } } });
    expect((await call(url('getSomething'), { headers: headers() })).body.error).toEqual({ code: 405, name: 'METHOD_NOT_FOUND' });
    expect(
      (await call(`${url('createInvoice')}?currency_type=fiat&fiat=RUB&amount=1&expires_in=0`, { headers: headers() })).body.error.name,
    ).toBe('EXPIRES_IN_INVALID');
    expect((await call(url('transfer'), { method: 'POST', headers: headers() })).status).toBe(403);
  });

  it('accepts GET query, JSON and form input and returns getInvoices as {items}', async () => {
    const viaQuery = await call(`${url('createInvoice')}?asset=USDT&amount=1.50`, { headers: headers() });
    const viaForm = await call(url('createInvoice'), {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'currency_type=fiat&fiat=USD&amount=2.00',
    });
    expect(viaQuery.body.result).toMatchObject({ currency_type: 'crypto', asset: 'USDT', amount: '1.5', status: 'active' });
    expect(viaForm.body.result).toMatchObject({ fiat: 'USD', amount: '2' });
    const list = await call(url('getInvoices'), {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ invoice_ids: `${viaQuery.body.result.invoice_id},${viaForm.body.result.invoice_id}` }),
    });
    expect(list.body.result.items).toHaveLength(2);
  });

  it('offers a sandbox payment page that pays the invoice', async () => {
    const created = await call(`${url('createInvoice')}?currency_type=fiat&fiat=RUB&amount=199.00`, { headers: headers() });
    const page = await fetch(`${created.body.result.bot_invoice_url as string}?action=pay`);
    expect(page.status).toBe(200);
    expect(crypto.invoice(created.body.result.invoice_id as number)).toMatchObject({ status: 'paid', amount: '199' });
  });
});

describe('WATA emulator', () => {
  it('refuses a missing token with 401 and answers validation errors in the documented shape', async () => {
    expect((await call(`${wata.apiUrl}/links`, { method: 'POST', body: '{}' })).status).toBe(401);
    const result = await call(`${wata.apiUrl}/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${wata.token}`, 'content-type': 'application/json' },
      body: '{"currency":"RUB"}',
    });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({
      code: null,
      message: 'Your request is invalid!',
      validationErrors: [{ message: "'Amount' is required.", members: ['amount'] }],
    });
  });

  it('serves the public key without auth', async () => {
    const result = await call(`${wata.apiUrl}/public-key`);
    expect(result.body.value).toBe(wata.publicKeyPem);
    expect(result.body.value).toContain('BEGIN PUBLIC KEY');
  });
});

describe('Heleket emulator', () => {
  const post = (path: string, body: string, sign = heleketSign(body, heleket.paymentKey)) =>
    call(`${heleket.apiUrl}${path}`, {
      method: 'POST',
      headers: { merchant: heleket.merchantId, sign, 'content-type': 'application/json' },
      body,
    });

  it('checks the signature over the exact bytes (re-spaced JSON is another text) and answers errors as {state: 1}', async () => {
    const body = '{"amount":"10.00","currency":"RUB","order_id":"emu-1"}';
    expect(await post('/v1/payment', body.replace(/,/g, ', '), heleketSign(body, heleket.paymentKey))).toMatchObject({
      status: 401,
      body: { state: 1 },
    });
    const invalid = await post('/v1/payment', '{"amount":10,"currency":"RUB","order_id":"bad id!"}');
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.errors as object).sort()).toEqual(['amount', 'order_id']);
  });

  it('returns the existing invoice for a repeated order_id, and its pay page pays it', async () => {
    const first = await post('/v1/payment', '{"amount":"10.00","currency":"RUB","order_id":"emu-2"}');
    const again = await post('/v1/payment', '{"amount":"99.00","currency":"RUB","order_id":"emu-2"}');
    expect(again.body.result).toMatchObject({ uuid: first.body.result.uuid, amount: '10.00' });
    expect((await fetch(`${first.body.result.url as string}?action=pay`)).status).toBe(200);
    const info = await post('/v1/payment/info', JSON.stringify({ order_id: 'emu-2' }));
    expect(info.body.result).toMatchObject({ payment_status: 'paid', is_final: true });
    expect((await post('/v1/payment/info', '{"uuid":"nope"}')).status).toBe(404);
  });
});
