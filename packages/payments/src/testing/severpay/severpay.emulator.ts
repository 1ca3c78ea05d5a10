import { randomBytes } from 'node:crypto';
import { phpJsonEncode } from '../../php-json.js';
import { severpayHmac } from '../../providers/severpay/severpay.signature.js';
import { jsonBody, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../shared/http-server.js';
import { NotificationOutbox, type NotificationControls, type NotificationOutboxOptions } from '../shared/notification-outbox.js';

export interface SeverpayEmulatorOptions extends NotificationOutboxOptions {
  mid?: number;
  token?: string;
  port?: number;
  /** A repeated `order_id`: refused (default), answered with the existing payment, or a second payment (unknown, §8). */
  duplicateOrder?: 'reject' | 'existing' | 'new';
  /** HTTP status of `{status: false}` answers (unknown, §3); default 200. */
  errorStatus?: number;
  /** Top-level key order of webhooks: as in the docs (`type, data, salt, sign`, default) or sorted (contested, §6). */
  keyOrder?: 'docs' | 'sorted';
  /** Webhooks on every status change (default) or on final ones only (unknown, §10). */
  notify?: 'all' | 'final';
}

export type SeverpayStatus = 'new' | 'process' | 'success' | 'decline' | 'fail';
export type SeverpayTampering = 'body' | 'signature' | 'missing-signature';

interface EmuPayment {
  id: number;
  uid: string;
  order_id: string;
  amount: number;
  currency: string;
  status: SeverpayStatus;
  expire_at: number;
}

export interface SeverpayEmulator extends NotificationControls {
  url: string;
  apiUrl: string;
  mid: number;
  token: string;
  payment(id: number | string): Record<string, unknown> | undefined;
  /** Moves the payment (`process`, `success`, `decline`, `fail`), optionally paid with another amount, and sends its webhook. */
  setStatus(id: number | string, status: SeverpayStatus, amount?: number): Record<string, unknown>;
  /** The link's lifetime ends: `fail`. */
  expire(id: number | string): Record<string, unknown>;
  /** The cabinet's "test" webhook. */
  sendTest(): void;
  /** A genuine webhook for the payment as it is now, with `data` fields overridden. */
  buildWebhook(id: number | string, overrides?: Record<string, unknown>): { body: string; headers: Record<string, string> };
  deliverTampered(kind: SeverpayTampering): Promise<number | 'error'>;
  close(): Promise<void>;
}

const FINAL = new Set<SeverpayStatus>(['success', 'decline', 'fail']);
const ULID = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ulid = () => Array.from(randomBytes(26), (b) => ULID[b % 32]).join('');

/**
 * A Sever Pay emulator (severpay.md "What an emulator must reproduce"): `payin/create` and
 * `payin/get`, each request's `sign` checked the way the PHP server very likely does (decode, drop
 * `sign`, ksort, re-encode unescaped, HMAC-SHA-256), webhooks signed over PHP's default-flag
 * re-encoding in a configurable key order, and a delivery counted only when the answer is JSON
 * with `"status": true` (else retried on the configured schedule).
 */
export async function createSeverpayEmulator(options: SeverpayEmulatorOptions = {}): Promise<SeverpayEmulator> {
  const mid = options.mid ?? 1001;
  const token = options.token ?? randomBytes(24).toString('hex');
  const outbox = new NotificationOutbox({
    ...options,
    accepts: ({ contentType, body }) => {
      if (!contentType.includes('application/json')) return false;
      try {
        return (JSON.parse(body) as { status?: unknown }).status === true;
      } catch {
        return false;
      }
    },
  });
  const payments = new Map<number, EmuPayment>();
  let nextId = 123456;
  let baseUrl = '';
  const refuse = (msg: string): EmulatorResponse => ({ status: options.errorStatus ?? 200, body: { status: false, msg } });
  const ok = (data: unknown): EmulatorResponse => ({ status: 200, body: { status: true, msg: '', data } });
  const json = (p: EmuPayment) => ({
    id: p.id,
    uid: p.uid,
    order_id: p.order_id,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
  });

  function webhook(type: string, data: Record<string, unknown>): { body: string; headers: Record<string, string> } {
    const salt = randomBytes(6).toString('hex');
    const fields: Record<string, unknown> = options.keyOrder === 'sorted' ? { data, salt, type } : { type, data, salt };
    const sign = severpayHmac(token, phpJsonEncode(fields, { escapeSlashes: true, escapeUnicode: true }));
    return {
      body: phpJsonEncode({ ...fields, sign }, { escapeSlashes: true, escapeUnicode: true }),
      headers: { accept: 'application/json' },
    };
  }
  const paymentData = (p: EmuPayment) => ({ id: p.id, order_id: p.order_id, amount: p.amount, currency: p.currency, status: p.status });

  function move(p: EmuPayment, status: SeverpayStatus): EmuPayment {
    p.status = status;
    if (options.notify !== 'final' || FINAL.has(status)) {
      const hook = webhook('payin', paymentData(p));
      outbox.enqueue(hook.body, hook.headers);
    }
    return p;
  }
  function refresh(p: EmuPayment): EmuPayment {
    if (!FINAL.has(p.status) && p.expire_at * 1000 <= Date.now()) move(p, 'fail');
    return p;
  }
  const get = (id: number | string): EmuPayment => {
    const p = payments.get(Number(id));
    if (!p) throw new Error(`no severpay payment ${id}`);
    return refresh(p);
  };

  function verified(req: EmulatorRequest): { params: Record<string, unknown> } | { refused: EmulatorResponse } {
    const body = jsonBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { refused: refuse('Invalid JSON') };
    const { sign, ...rest } = body as Record<string, unknown>;
    if (rest.mid !== mid) return { refused: refuse('Merchant not found') };
    // Re-encoded from the decoded values, as PHP would: `299.50` signed as text does not survive.
    const sorted = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (typeof sign !== 'string' || sign !== severpayHmac(token, JSON.stringify(sorted))) return { refused: refuse('Invalid sign') };
    return { params: rest };
  }

  function create(params: Record<string, unknown>): EmulatorResponse {
    const orderId = params.order_id;
    if (typeof orderId !== 'string' || orderId === '') return refuse('order_id is required');
    if (typeof params.amount !== 'number' || !(params.amount > 0)) return refuse('amount is required');
    if (typeof params.currency !== 'string' || !['RUB', 'USD', 'EUR'].includes(params.currency)) return refuse('currency is not supported');
    if (typeof params.client_email !== 'string' || params.client_email === '') return refuse('client_email is required');
    if (typeof params.client_id !== 'string' || params.client_id === '') return refuse('client_id is required');
    const lifetime = params.lifetime === undefined ? 1440 : Number(params.lifetime);
    if (!Number.isInteger(lifetime) || lifetime < 30 || lifetime > 4320) return refuse('lifetime must be between 30 and 4320');
    const existing = [...payments.values()].find((p) => p.order_id === orderId);
    if (existing && options.duplicateOrder !== 'new') {
      if (options.duplicateOrder === 'existing')
        return ok({ id: existing.id, url: `${baseUrl}/pay/${existing.uid}`, expire_at: existing.expire_at, uid: existing.uid });
      return refuse('order_id already exists');
    }
    const p: EmuPayment = {
      id: nextId++,
      uid: ulid(),
      order_id: orderId,
      amount: params.amount,
      currency: params.currency,
      status: 'new',
      expire_at: Math.floor(Date.now() / 1000) + lifetime * 60,
    };
    payments.set(p.id, p);
    return ok({ id: p.id, url: `${baseUrl}/pay/${p.uid}`, expire_at: p.expire_at, uid: p.uid });
  }

  function api(req: EmulatorRequest, path: string): EmulatorResponse {
    if (req.method !== 'POST') return refuse('Method not allowed');
    const checked = verified(req);
    if ('refused' in checked) return checked.refused;
    const { params } = checked;
    if (path === '/payin/create') return create(params);
    if (path === '/payin/get') {
      const byId = params.id === undefined ? undefined : payments.get(Number(params.id));
      const byUid = typeof params.uid === 'string' ? [...payments.values()].find((p) => p.uid === params.uid) : undefined;
      const p = byId ?? byUid;
      return p ? ok(json(refresh(p))) : refuse('Payment not found');
    }
    return refuse('Method not found');
  }

  /** The pay page: `?action=pay|decline` stands for the card/SBP form. */
  function page(req: EmulatorRequest, uid: string): EmulatorResponse {
    const p = [...payments.values()].find((x) => x.uid === uid);
    if (!p) return { status: 404, text: 'unknown payment' };
    const open = !FINAL.has(refresh(p).status);
    if (open && req.query.get('action') === 'pay') move(move(p, 'process'), 'success');
    if (open && req.query.get('action') === 'decline') move(p, 'decline');
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      text: `<h1>Sever Pay emulator</h1><p>Order ${p.order_id}: ${p.amount} ${p.currency}, ${p.status}</p><p><a href="?action=pay">Pay</a> · <a href="?action=decline">Decline</a></p>`,
    };
  }

  const server = await startHttpServer(
    (req) => {
      if (req.path.startsWith('/api/merchant/')) return api(req, req.path.slice('/api/merchant'.length));
      const payMatch = /^\/pay\/([0-9A-Z]+)$/.exec(req.path);
      return payMatch ? page(req, payMatch[1] ?? '') : { status: 404, text: 'not found' };
    },
    { port: options.port },
  );
  baseUrl = server.url;

  return {
    url: server.url,
    apiUrl: `${server.url}/api/merchant`,
    mid,
    token,
    payment: (id) => {
      const p = payments.get(Number(id));
      return p ? json(refresh(p)) : undefined;
    },
    setStatus(id, status, amount) {
      const p = get(id);
      if (amount !== undefined) p.amount = amount;
      return json(move(p, status));
    },
    expire(id) {
      const p = get(id);
      p.expire_at = Math.floor(Date.now() / 1000) - 1;
      return json(refresh(p));
    },
    sendTest() {
      const hook = webhook('test', { timestamp: Math.floor(Date.now() / 1000) });
      outbox.enqueue(hook.body, hook.headers);
    },
    buildWebhook: (id, overrides = {}) => webhook('payin', { ...paymentData(get(id)), ...overrides }),
    deliverTampered(kind) {
      const last = outbox.notifications.at(-1);
      if (!last) throw new Error('no notification to tamper with');
      const body = JSON.parse(last.body) as Record<string, unknown>;
      switch (kind) {
        case 'body':
          return outbox.deliverRaw(last.body.replace(/"order_id":"([^"]*)"/, '"order_id":"$1x"'), last.headers);
        case 'signature':
          return outbox.deliverRaw(JSON.stringify({ ...body, sign: severpayHmac(`${token}x`, 'other') }), last.headers);
        case 'missing-signature': {
          const { sign: _sign, ...rest } = body;
          return outbox.deliverRaw(JSON.stringify(rest), last.headers);
        }
      }
    },
    ...outbox.controls(),
    async close() {
      outbox.stop();
      await outbox.idle();
      await server.close();
    },
  };
}
