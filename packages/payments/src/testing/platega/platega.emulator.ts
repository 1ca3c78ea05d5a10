import { randomBytes, randomUUID } from 'node:crypto';
import { PLATEGA_MERCHANT_HEADER, PLATEGA_SECRET_HEADER } from '../../providers/platega/platega.adapter.js';
import { header, jsonBody, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../shared/http-server.js';
import { NotificationOutbox, type NotificationControls, type NotificationOutboxOptions } from '../shared/notification-outbox.js';

export interface PlategaEmulatorOptions extends NotificationOutboxOptions {
  merchantId?: string;
  secret?: string;
  port?: number;
  /** A second transaction with a payload already used: created (default) or refused "already exists" (platega.md §2, unknown which). */
  duplicatePayload?: 'allow' | 'reject';
  /** Statuses that send a callback: the final ones (default) or every change (retry policy and coverage are unknown). */
  callbacks?: 'final' | 'none';
  /** Transaction lifetime; default 15 minutes (`expiresIn` "00:15:00"). */
  ttlSeconds?: number;
}

/** Callbacks with something wrong; Platega's only authenticity is the credential headers. */
export type PlategaTampering = 'credentials' | 'missing-credentials' | 'claim' | 'unknown-id';

interface EmuTransaction {
  id: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELED' | 'EXPIRED' | 'FAILED';
  amount: number;
  currency: string;
  paymentMethod: number;
  description: string;
  payload: string;
  returnUrl?: string;
  expiresAt: number;
}

export interface PlategaEmulator extends NotificationControls {
  url: string;
  apiUrl: string;
  merchantId: string;
  secret: string;
  transaction(id: string): Record<string, unknown> | undefined;
  /** The payer pays (optionally another amount): CONFIRMED and its callback. */
  confirm(id: string, amount?: number): Record<string, unknown>;
  cancel(id: string): Record<string, unknown>;
  /** The lifetime ends unpaid: EXPIRED (a callback only as CANCELED, platega.md §4). */
  expire(id: string): Record<string, unknown>;
  /** A callback for the transaction as it is now, with any field overridden; genuine headers. */
  buildCallback(id: string, overrides?: Record<string, unknown>): { body: string; headers: Record<string, string> };
  deliverTampered(kind: PlategaTampering, id: string): Promise<number | 'error'>;
  /** The next `count` creates answer 400 "No available requisites". */
  noRequisites(count: number): void;
  failNextRequests(count: number, status?: number): void;
  close(): Promise<void>;
}

const error = (status: number, message: string, code?: string): EmulatorResponse => ({
  status,
  body: { ...(code ? { code } : {}), message },
});
const ALLOWED = new Set(['paymentMethod', 'paymentDetails', 'description', 'return', 'failedUrl', 'payload']);
const METHODS = new Set([2, 10, 11, 12, 13, 14]);
const METHOD_NAMES: Record<number, string> = { 2: 'SBPQR', 10: 'CardRu', 11: 'CardRu', 12: 'International', 13: 'Crypto', 14: 'SberPay' };

/**
 * A Platega emulator (platega.md §5): credential headers on every call (401 `Auth:SIGN_1001`), a
 * strict `/transaction/process` schema, `GET /transaction/{id}`, a pay page, and callbacks that
 * carry the merchant's own `X-MerchantId` / `X-Secret`, retried on non-2xx.
 */
export async function createPlategaEmulator(options: PlategaEmulatorOptions = {}): Promise<PlategaEmulator> {
  const merchantId = options.merchantId ?? randomUUID();
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const outbox = new NotificationOutbox(options);
  const txs = new Map<string, EmuTransaction>();
  let noRequisites = 0;
  let injected = { count: 0, status: 500 };
  let baseUrl = '';
  const ttl = (options.ttlSeconds ?? 900) * 1000;
  const credentials = { [PLATEGA_MERCHANT_HEADER]: merchantId, [PLATEGA_SECRET_HEADER]: secret };

  const json = (t: EmuTransaction) => ({
    id: t.id,
    status: t.status,
    paymentDetails: { amount: t.amount, currency: t.currency },
    paymentMethod: METHOD_NAMES[t.paymentMethod] ?? String(t.paymentMethod),
    payload: t.payload,
    externalId: null,
    description: t.description,
    comission: 0,
  });
  const callbackBody = (t: EmuTransaction, overrides: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: t.id,
      amount: t.amount,
      currency: t.currency,
      status: t.status,
      paymentMethod: t.paymentMethod,
      payload: t.payload,
      ...overrides,
    });

  function refresh(t: EmuTransaction): EmuTransaction {
    if (t.status === 'PENDING' && t.expiresAt <= Date.now()) {
      t.status = 'EXPIRED';
      if (options.callbacks !== 'none') outbox.enqueue(callbackBody(t, { status: 'CANCELED' }), credentials);
    }
    return t;
  }
  const get = (id: string): EmuTransaction => {
    const t = txs.get(id);
    if (!t) throw new Error(`no platega transaction ${id}`);
    return refresh(t);
  };
  function move(t: EmuTransaction, status: EmuTransaction['status']): EmuTransaction {
    if (t.status !== 'PENDING') throw new Error(`transaction ${t.id} is ${t.status}`);
    t.status = status;
    if (options.callbacks !== 'none') outbox.enqueue(callbackBody(t), credentials);
    return t;
  }

  function create(req: EmulatorRequest): EmulatorResponse {
    const body = jsonBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return error(400, 'Invalid request body');
    const params = body as Record<string, unknown>;
    if ('id' in params) return error(400, "Property 'id' should not exist");
    const extra = Object.keys(params).find((k) => !ALLOWED.has(k));
    if (extra) return error(400, `Property '${extra}' should not exist`);
    const method = params.paymentMethod;
    if (typeof method !== 'number' || !METHODS.has(method)) return error(400, 'paymentMethod must be a valid enum value');
    const details = params.paymentDetails as { amount?: unknown; currency?: unknown } | undefined;
    const amount = details?.amount;
    if (typeof amount !== 'number' || !(amount > 0) || Math.round(amount * 100) / 100 !== amount)
      return error(400, 'paymentDetails.amount must be a positive number with kopecks');
    if (details?.currency !== 'RUB') return error(400, 'paymentDetails.currency must be RUB');
    const payload = typeof params.payload === 'string' ? params.payload : '';
    if (options.duplicatePayload === 'reject' && [...txs.values()].some((t) => t.payload === payload && payload !== ''))
      return error(400, `Transaction with payload ${payload} already exists.`);
    if (noRequisites > 0) {
      noRequisites--;
      return error(400, 'No available requisites');
    }
    const t: EmuTransaction = {
      id: randomUUID(),
      status: 'PENDING',
      amount,
      currency: 'RUB',
      paymentMethod: method,
      description: typeof params.description === 'string' ? params.description : '',
      payload,
      ...(typeof params.return === 'string' ? { returnUrl: params.return } : {}),
      expiresAt: Date.now() + ttl,
    };
    txs.set(t.id, t);
    const minutes = Math.floor(ttl / 60_000);
    return {
      status: 200,
      body: {
        transactionId: t.id,
        redirect: `${baseUrl}/pay/${t.id}`,
        status: 'PENDING',
        paymentMethod: METHOD_NAMES[method],
        paymentDetails: `${amount} RUB`,
        return: t.returnUrl ?? null,
        expiresIn: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`,
        merchantId,
        usdtRate: 93.45,
      },
    };
  }

  function api(req: EmulatorRequest): EmulatorResponse {
    const given = header(req, PLATEGA_MERCHANT_HEADER);
    const key = header(req, PLATEGA_SECRET_HEADER);
    if (!given || !key) return error(401, 'X-MerchantId or X-Secret is not specified.', 'Auth:SIGN_1001');
    if (given !== merchantId) return error(401, 'Merchant not exists.', 'Auth:SIGN_1001');
    if (key !== secret) return error(401, 'Merchant secret key is not correct.', 'Auth:SIGN_1001');
    if (injected.count > 0) {
      injected.count--;
      return error(injected.status, 'Internal server error');
    }
    if (req.method === 'POST' && req.path === '/transaction/process') return create(req);
    const match = /^\/transaction\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && match) {
      const t = txs.get(match[1] ?? '');
      return t ? { status: 200, body: json(refresh(t)) } : error(404, 'Transaction not found');
    }
    return error(404, 'Not found');
  }

  /** The pay page: `?action=pay|cancel` stands for what the payer does on Platega's SBP/card form. */
  function page(req: EmulatorRequest, id: string): EmulatorResponse {
    const t = txs.get(id);
    if (!t) return { status: 404, text: 'unknown transaction' };
    const open = refresh(t).status === 'PENDING';
    if (open && req.query.get('action') === 'pay') move(t, 'CONFIRMED');
    if (open && req.query.get('action') === 'cancel') move(t, 'CANCELED');
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      text: `<h1>Platega emulator</h1><p>${t.description}: ${t.amount} ${t.currency}, ${t.status}</p><p><a href="?action=pay">Pay</a> · <a href="?action=cancel">Cancel</a></p>`,
    };
  }

  const server = await startHttpServer(
    (req) => {
      const payMatch = /^\/pay\/([^/]+)$/.exec(req.path);
      return payMatch ? page(req, payMatch[1] ?? '') : api(req);
    },
    { port: options.port },
  );
  baseUrl = server.url;

  return {
    url: server.url,
    apiUrl: server.url,
    merchantId,
    secret,
    transaction: (id) => {
      const t = txs.get(id);
      return t ? json(refresh(t)) : undefined;
    },
    confirm(id, amount) {
      const t = get(id);
      if (amount !== undefined) t.amount = amount;
      return json(move(t, 'CONFIRMED'));
    },
    cancel: (id) => json(move(get(id), 'CANCELED')),
    expire(id) {
      const t = get(id);
      t.expiresAt = Date.now() - 1;
      return json(refresh(t));
    },
    buildCallback: (id, overrides) => ({ body: callbackBody(get(id), overrides), headers: { ...credentials } }),
    deliverTampered(kind, id) {
      const t = get(id);
      switch (kind) {
        case 'credentials':
          return outbox.deliverRaw(callbackBody(t, { status: 'CONFIRMED' }), { ...credentials, [PLATEGA_SECRET_HEADER]: `${secret}x` });
        case 'missing-credentials':
          return outbox.deliverRaw(callbackBody(t, { status: 'CONFIRMED' }), {});
        case 'claim':
          return outbox.deliverRaw(callbackBody(t, { status: 'CONFIRMED' }), credentials);
        case 'unknown-id':
          return outbox.deliverRaw(callbackBody(t, { id: randomUUID(), status: 'CONFIRMED' }), credentials);
      }
    },
    noRequisites(count) {
      noRequisites = count;
    },
    failNextRequests(count, status = 500) {
      injected = { count, status };
    },
    ...outbox.controls(),
    async close() {
      outbox.stop();
      await outbox.idle();
      await server.close();
    },
  };
}
