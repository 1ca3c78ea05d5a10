import { createHash, createHmac, randomBytes } from 'node:crypto';
import { cryptoPaySignature } from '../../providers/cryptopay/cryptopay.signature.js';
import { XROCKET_KEY_HEADER, XROCKET_SIGNATURE_HEADER } from '../../providers/xrocket/xrocket.adapter.js';
import { header, jsonBody, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../shared/http-server.js';
import { NotificationOutbox, type NotificationControls, type NotificationOutboxOptions } from '../shared/notification-outbox.js';

export interface XRocketEmulatorOptions extends NotificationOutboxOptions {
  token?: string;
  port?: number;
  /** A bad key answers 401 (default) or 403: both are declared (xrocket-pay.md §2). */
  badKeyStatus?: 401 | 403;
  /** Webhooks on (default) or off in the app's settings: off forces the adapter onto polling (§6). */
  webhooks?: boolean;
  /** The vendor's own e2e observations: string ids, 0/1 booleans, nulls (§8.3). */
  vendorQuirks?: boolean;
  /** App fee in percent, taken from `paymentAmountReceived`; default 1.5. */
  feePercents?: number;
}

/** Webhooks with something wrong (§5 "fault injection"). */
/** `pretty` is genuine: the same content re-spaced and signed over those bytes (the adapter must hash the raw body). */
export type XRocketTampering = 'body' | 'signature' | 'missing-signature' | 'hex-key' | 'pretty';

interface EmuPayment {
  userId: number;
  paymentNum: number;
  paymentAmount: number;
  paymentAmountReceived: number;
  comment: string | null;
  paid: string;
}

interface EmuInvoice {
  id: number;
  amount: number;
  currency: string;
  description: string | null;
  payload: string | null;
  callbackUrl: string | null;
  status: 'active' | 'paid' | 'expired';
  created: string;
  paid: string | null;
  expiredIn: number;
  link: string;
  payments: EmuPayment[];
}

export interface XRocketEmulator extends NotificationControls {
  url: string;
  apiUrl: string;
  token: string;
  invoice(id: string | number): Record<string, unknown> | undefined;
  /** The payer pays (by default the full amount in the invoice's asset) and, with webhooks on, `invoicePay` is sent. */
  pay(id: string | number, payment?: { userId?: number; amount?: number }): Record<string, unknown>;
  expire(id: string | number): Record<string, unknown>;
  /** A signed webhook of any type for the invoice as it is now. */
  buildWebhook(id: string | number, type?: string): { body: string; headers: Record<string, string> };
  deliverTampered(kind: XRocketTampering): Promise<number | 'error'>;
  /** The next create makes the invoice and then never answers (the caller times out, §7). */
  loseNextCreateResponse(): void;
  close(): Promise<void>;
}

const ASSETS: Record<string, number> = { TONCOIN: 0.01, USDT: 0.1, XROCK: 1 };
const fail = (status: number, message: string, errors?: Array<{ property: string; error: string }>): EmulatorResponse => ({
  status,
  body: { success: false, message, ...(errors ? { errors } : {}) },
});
const ok = (data: unknown, status = 200): EmulatorResponse => ({ status, body: { success: true, data } });

/**
 * An xRocket Pay emulator, legacy API 1.3.1 (xrocket-pay.md "What an emulator must reproduce"):
 * `Rocket-Pay-Key` auth except `/version`, `/health`, `/currencies/available`; `POST /tg-invoices`
 * answering 201 and creating a new invoice every time (no idempotency); GET/list/DELETE; expiry;
 * `invoicePay` webhooks signed with HMAC-SHA-256 keyed by the raw SHA-256 of the token.
 */
export async function createXRocketEmulator(options: XRocketEmulatorOptions = {}): Promise<XRocketEmulator> {
  const token = options.token ?? `${randomBytes(20).toString('hex')}`;
  const outbox = new NotificationOutbox(options);
  const invoices = new Map<number, EmuInvoice>();
  let nextId = 4242;
  let loseNext = false;
  const fee = options.feePercents ?? 1.5;

  const q = (value: unknown) => (options.vendorQuirks && value === undefined ? null : value);
  function json(i: EmuInvoice, full = true): Record<string, unknown> {
    const body: Record<string, unknown> = {
      id: options.vendorQuirks ? String(i.id) : i.id,
      amount: i.amount,
      minPayment: i.amount,
      totalActivations: 1,
      activationsLeft: i.status === 'paid' ? 0 : 1,
      description: q(i.description ?? undefined),
      hiddenMessage: q(undefined),
      payload: q(i.payload ?? undefined),
      callbackUrl: q(i.callbackUrl ?? undefined),
      commentsEnabled: options.vendorQuirks ? 0 : false,
      currency: i.currency,
      created: i.created,
      paid: q(i.paid ?? undefined),
      status: i.status,
      expiredIn: i.expiredIn,
      link: i.link,
    };
    if (full) body.payments = i.payments;
    return body;
  }
  function refresh(i: EmuInvoice): EmuInvoice {
    if (i.status === 'active' && i.expiredIn > 0 && Date.parse(i.created) + i.expiredIn * 1000 <= Date.now()) i.status = 'expired';
    return i;
  }
  const get = (id: string | number): EmuInvoice => {
    const i = invoices.get(Number(id));
    if (!i) throw new Error(`no xrocket invoice ${id}`);
    return refresh(i);
  };
  function webhook(i: EmuInvoice, type = 'invoicePay'): { body: string; headers: Record<string, string> } {
    const data = { ...json(i, false), payment: i.payments.at(-1) ?? null };
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
    return { body, headers: { [XROCKET_SIGNATURE_HEADER]: cryptoPaySignature(token, body) } };
  }

  function create(req: EmulatorRequest): EmulatorResponse | 'lost' {
    const body = jsonBody(req) as Record<string, unknown> | undefined;
    const errors: Array<{ property: string; error: string }> = [];
    if (!body || typeof body !== 'object') return fail(400, 'Bad request');
    const currency = body.currency;
    if (body.numPayments === undefined) errors.push({ property: 'numPayments', error: 'numPayments should not be empty' });
    if (typeof currency !== 'string' || ASSETS[currency] === undefined)
      errors.push({ property: 'currency', error: 'currency must be a valid currency' });
    const amount = typeof body.amount === 'number' ? Math.trunc(body.amount * 1e9) / 1e9 : NaN;
    if (!(amount >= 0 && amount <= 1_000_000)) errors.push({ property: 'amount', error: 'amount must not be greater than 1000000' });
    else if (typeof currency === 'string' && ASSETS[currency] !== undefined && amount < ASSETS[currency])
      errors.push({ property: 'amount', error: `amount must not be less than ${ASSETS[currency]}` });
    const expiredIn = body.expiredIn === undefined ? 0 : Number(body.expiredIn);
    if (!Number.isInteger(expiredIn) || expiredIn < 0 || expiredIn > 86_400)
      errors.push({ property: 'expiredIn', error: 'expiredIn must not be greater than 86400' });
    if (errors.length > 0) return fail(400, 'Validation failed', errors);
    const id = nextId++;
    const invoice: EmuInvoice = {
      id,
      amount,
      currency: currency as string,
      description: typeof body.description === 'string' ? body.description : null,
      payload: typeof body.payload === 'string' ? body.payload : null,
      callbackUrl: typeof body.callbackUrl === 'string' ? body.callbackUrl : null,
      status: 'active',
      created: new Date().toISOString(),
      paid: null,
      expiredIn,
      link: `${baseUrl}/pay/${id}`,
      payments: [],
    };
    invoices.set(id, invoice);
    if (loseNext) {
      loseNext = false;
      return 'lost';
    }
    return ok(json(invoice, false), 201);
  }

  function api(req: EmulatorRequest): Promise<EmulatorResponse> | EmulatorResponse {
    if (req.method === 'GET' && req.path === '/version') return { status: 200, body: { version: '1.3.1' } };
    if (req.method === 'GET' && req.path === '/health') return { status: 200, body: { status: 'ok', info: {}, error: {}, details: {} } };
    if (req.method === 'GET' && req.path === '/currencies/available')
      return ok({
        results: Object.entries(ASSETS).map(([c, min]) => ({
          currency: c,
          name: c,
          minTransfer: min,
          minCheque: min,
          minInvoice: min,
          minWithdraw: min,
        })),
      });
    if (header(req, XROCKET_KEY_HEADER.toLowerCase()) !== token) return fail(options.badKeyStatus ?? 401, 'Unauthorized');
    if (req.method === 'GET' && req.path === '/app/info') return ok({ name: 'VPN emulator app', feePercents: fee, balances: [] });
    if (req.method === 'POST' && req.path === '/tg-invoices') {
      const result = create(req);
      // Made, then the answer never comes: the client's timeout fires first.
      return result === 'lost'
        ? new Promise<EmulatorResponse>((resolve) => setTimeout(() => resolve(fail(504, 'lost')), 30_000).unref())
        : result;
    }
    if (req.method === 'GET' && req.path === '/tg-invoices') {
      const limit = Number(req.query.get('limit') ?? 100);
      const offset = Number(req.query.get('offset') ?? 0);
      const all = [...invoices.values()].map(refresh);
      return ok({ total: all.length, limit, offset, results: all.slice(offset, offset + limit).map((i) => json(i, false)) });
    }
    const match = /^\/tg-invoices\/([^/]+)$/.exec(req.path);
    if (match) {
      const invoice = invoices.get(Number(match[1]));
      if (!invoice) return fail(404, 'Invoice not found');
      if (req.method === 'GET') return ok(json(refresh(invoice)));
      if (req.method === 'DELETE') {
        invoices.delete(invoice.id);
        return { status: 200, body: { success: true } };
      }
    }
    return fail(404, 'Not found');
  }

  function pay(i: EmuInvoice, payment: { userId?: number; amount?: number } = {}): EmuInvoice {
    if (refresh(i).status !== 'active') throw new Error(`invoice ${i.id} is ${i.status}`);
    const paid = new Date().toISOString();
    const amount = payment.amount ?? i.amount;
    i.payments.push({
      userId: payment.userId ?? 42,
      paymentNum: 1,
      paymentAmount: amount,
      paymentAmountReceived: Math.round(amount * (1 - fee / 100) * 1e9) / 1e9,
      comment: null,
      paid,
    });
    Object.assign(i, { status: 'paid', paid });
    if (options.webhooks !== false) {
      const hook = webhook(i);
      outbox.enqueue(hook.body, hook.headers);
    }
    return i;
  }

  /** The pay page stands for @xRocket's invoice screen: `?action=pay`. */
  function page(req: EmulatorRequest, id: number): EmulatorResponse {
    const invoice = invoices.get(id);
    if (!invoice) return { status: 404, text: 'unknown invoice' };
    if (req.query.get('action') === 'pay' && refresh(invoice).status === 'active') pay(invoice);
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      text: `<h1>xRocket Pay emulator</h1><p>Invoice ${id}: ${invoice.amount} ${invoice.currency}, ${invoice.status}</p><p><a href="?action=pay">Pay</a></p>`,
    };
  }

  let baseUrl = '';
  const server = await startHttpServer(
    (req) => {
      const payMatch = /^\/pay\/(\d+)$/.exec(req.path);
      return payMatch ? page(req, Number(payMatch[1])) : api(req);
    },
    { port: options.port },
  );
  baseUrl = server.url;

  return {
    url: server.url,
    apiUrl: server.url,
    token,
    invoice: (id) => {
      const i = invoices.get(Number(id));
      return i ? json(refresh(i)) : undefined;
    },
    pay: (id, payment) => json(pay(get(id), payment)),
    expire(id) {
      const i = get(id);
      i.created = new Date(Date.now() - (i.expiredIn || 1) * 1000 - 1000).toISOString();
      if (i.expiredIn === 0) i.expiredIn = 1;
      return json(refresh(i));
    },
    buildWebhook: (id, type) => webhook(get(id), type),
    deliverTampered(kind) {
      const last = outbox.notifications.at(-1);
      if (!last) throw new Error('no notification to tamper with');
      const headers = { ...last.headers };
      switch (kind) {
        case 'body':
          return outbox.deliverRaw(last.body.replace('"status":"paid"', '"status":"paid" '), headers);
        case 'signature':
          return outbox.deliverRaw(last.body, { [XROCKET_SIGNATURE_HEADER]: cryptoPaySignature(`${token}x`, last.body) });
        case 'missing-signature':
          return outbox.deliverRaw(last.body, {});
        case 'hex-key': {
          // The classic bug: the hex text of SHA-256(token) as the key instead of its raw bytes.
          const hexKey = createHash('sha256').update(token).digest('hex');
          return outbox.deliverRaw(last.body, { [XROCKET_SIGNATURE_HEADER]: createHmac('sha256', hexKey).update(last.body).digest('hex') });
        }
        case 'pretty': {
          // Same content, other bytes: genuine only if signed over these bytes.
          const pretty = JSON.stringify(JSON.parse(last.body), null, 2);
          return outbox.deliverRaw(pretty, { [XROCKET_SIGNATURE_HEADER]: cryptoPaySignature(token, pretty) });
        }
      }
    },
    loseNextCreateResponse() {
      loseNext = true;
    },
    ...outbox.controls(),
    async close() {
      outbox.stop();
      await outbox.idle();
      await server.close();
    },
  };
}
