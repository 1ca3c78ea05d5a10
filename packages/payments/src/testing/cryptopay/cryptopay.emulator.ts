import { randomBytes } from 'node:crypto';
import { CRYPTOPAY_SIGNATURE_HEADER, cryptoPaySignature } from '../../providers/cryptopay/cryptopay.signature.js';
import { header, jsonBody, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../shared/http-server.js';
import { NotificationOutbox, type NotificationControls, type NotificationOutboxOptions } from '../shared/notification-outbox.js';
import { tamper, type Tampering } from '../shared/tampering.js';
import { createInvoice, cryptoError, type EmuInvoice } from './cryptopay-invoice.js';

export interface CryptoPayEmulatorOptions extends NotificationOutboxOptions {
  /** The app token; `<digits>:<35 letters and digits>` by default. */
  token?: string;
  port?: number;
  /** Point `bot_invoice_url` at the emulator's own page (`/invoice/{id}?action=pay|expire`) instead of t.me: for the sandbox. */
  payPage?: boolean;
}

export interface CryptoPayEmulator extends NotificationControls {
  url: string;
  /** Pass as the adapter's `apiUrl` (`${url}/api`). */
  apiUrl: string;
  token: string;
  invoice(id: number | string): EmuInvoice | undefined;
  /** The customer pays the invoice (in USDT by default); sends the signed `invoice_paid` update. */
  pay(id: number | string, paid?: { asset?: string; amount?: string }): EmuInvoice;
  /** The invoice's lifetime ends unpaid. */
  expire(id: number | string): EmuInvoice;
  /** A genuine signed update for a paid invoice, e.g. with an old `request_date` (replays). */
  buildUpdate(id: number | string, options?: { requestDate?: Date }): { body: string; headers: Record<string, string> };
  /** Sends a forged copy of the latest notification; returns the receiver's status. */
  deliverTampered(kind: Tampering): Promise<number | 'error'>;
  close(): Promise<void>;
}

type Params = Record<string, unknown>;

/** GET query, JSON and form bodies are all accepted (cryptopay.md §1). */
function paramsOf(req: EmulatorRequest): Params | undefined {
  if (req.method === 'GET') return Object.fromEntries(req.query);
  const type = header(req, 'content-type') ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8')));
  if (req.rawBody.length === 0) return {};
  const body = jsonBody(req);
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Params) : undefined;
}

const ok = (result: unknown): EmulatorResponse => ({ status: 200, body: { ok: true, result } });

/**
 * A Crypto Pay API emulator (cryptopay.md §8): `/api/{method}` with the token header, fiat and
 * crypto invoices, `getInvoices` answering `{items}`, expiry, and `invoice_paid` updates signed
 * with HMAC-SHA-256(key = SHA-256(token)) and POSTed to the webhook URL with retries.
 */
export async function createCryptoPayEmulator(options: CryptoPayEmulatorOptions = {}): Promise<CryptoPayEmulator> {
  const token =
    options.token ??
    `${100000 + Math.floor(Math.random() * 800000)}:AA${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 33)}`;
  const outbox = new NotificationOutbox(options);
  const invoices = new Map<number, EmuInvoice>();
  let nextInvoiceId = 528890;
  let nextUpdateId = 1;

  const find = (id: number | string): EmuInvoice => {
    const invoice = invoices.get(Number(id));
    if (!invoice) throw new Error(`no invoice ${id}`);
    return invoice;
  };

  /** Invoices past their expiration date become `expired` when next looked at. */
  function refresh(invoice: EmuInvoice): EmuInvoice {
    if (invoice.status === 'active' && invoice.expiration_date && Date.parse(invoice.expiration_date) <= Date.now())
      invoice.status = 'expired';
    return invoice;
  }

  function signedUpdate(invoice: EmuInvoice, requestDate = new Date()): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify({
      update_id: nextUpdateId++,
      update_type: 'invoice_paid',
      request_date: requestDate.toISOString(),
      payload: invoice,
    });
    return { body, headers: { [CRYPTOPAY_SIGNATURE_HEADER]: cryptoPaySignature(token, body) } };
  }

  function getInvoices(params: Params): EmulatorResponse {
    const ids =
      typeof params.invoice_ids === 'string' || typeof params.invoice_ids === 'number'
        ? String(params.invoice_ids).split(',').map(Number)
        : undefined;
    const offset = Number(params.offset ?? 0);
    const count = Number(params.count ?? 100);
    if (!Number.isInteger(count) || count < 1 || count > 1000) return cryptoError(400, 'COUNT_INVALID');
    const items = [...invoices.values()]
      .map(refresh)
      .filter((i) => (ids ? ids.includes(i.invoice_id) : true))
      .filter((i) => (params.status ? i.status === params.status : true))
      .filter((i) => (params.fiat ? i.fiat === params.fiat : true))
      .filter((i) => (params.asset ? i.asset === params.asset : true))
      .slice(offset, offset + count);
    return ok({ items });
  }

  function route(req: EmulatorRequest): EmulatorResponse {
    const method = /^\/api\/([A-Za-z]+)$/.exec(req.path)?.[1];
    if (!method) return cryptoError(404, 'NOT_FOUND');
    if (header(req, 'crypto-pay-api-token') !== token) return cryptoError(401, 'UNAUTHORIZED');
    const params = paramsOf(req);
    if (!params) return cryptoError(400, 'BAD_REQUEST');
    switch (method) {
      case 'getMe':
        return ok({ app_id: 1, name: 'VPN emulator app', payment_processing_bot_username: 'CryptoTestnetBot' });
      case 'createInvoice': {
        const created = createInvoice(params, nextInvoiceId, options.payPage ? baseUrl : undefined);
        if ('error' in created) return created.error;
        nextInvoiceId++;
        invoices.set(created.invoice.invoice_id, created.invoice);
        return ok(created.invoice);
      }
      case 'getInvoices':
        return getInvoices(params);
      case 'deleteInvoice':
        return invoices.delete(Number(params.invoice_id)) ? ok(true) : cryptoError(400, 'INVOICE_NOT_FOUND');
      case 'transfer':
      case 'createCheck':
        return cryptoError(403, 'METHOD_DISABLED');
      default:
        return cryptoError(405, 'METHOD_NOT_FOUND');
    }
  }

  /** The sandbox payment page: `?action=pay` or `?action=expire` stands for what the payer does in @CryptoBot. */
  function page(req: EmulatorRequest, id: number): EmulatorResponse {
    const invoice = invoices.get(id);
    if (!invoice) return { status: 404, text: 'unknown invoice' };
    const action = req.query.get('action');
    if (action === 'pay' && refresh(invoice).status === 'active') controls.pay(id);
    if (action === 'expire' && refresh(invoice).status === 'active') controls.expire(id);
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      text: `<h1>Crypto Pay emulator</h1><p>Invoice ${id}: ${invoice.amount} ${invoice.fiat ?? invoice.asset ?? ''}, ${invoice.status}</p><p><a href="?action=pay">Pay</a> · <a href="?action=expire">Expire</a></p>`,
    };
  }

  let baseUrl = '';
  const server = await startHttpServer(
    (req) => {
      const pageMatch = /^\/invoice\/(\d+)$/.exec(req.path);
      return pageMatch ? page(req, Number(pageMatch[1])) : route(req);
    },
    { port: options.port },
  );
  baseUrl = server.url;

  const controls: CryptoPayEmulator = {
    url: server.url,
    apiUrl: `${server.url}/api`,
    token,
    invoice: (id) => {
      const invoice = invoices.get(Number(id));
      return invoice ? structuredClone(refresh(invoice)) : undefined;
    },
    pay(id, paid = {}) {
      const invoice = refresh(find(id));
      if (invoice.status !== 'active') throw new Error(`invoice ${id} is ${invoice.status}`);
      Object.assign(invoice, {
        status: 'paid',
        paid_at: new Date().toISOString(),
        paid_asset: paid.asset ?? 'USDT',
        paid_amount: paid.amount ?? invoice.amount,
        paid_fiat_rate: '1',
        fee_asset: paid.asset ?? 'USDT',
        fee_amount: 0,
      });
      const update = signedUpdate(invoice);
      outbox.enqueue(update.body, update.headers);
      return structuredClone(invoice);
    },
    expire(id) {
      const invoice = find(id);
      if (invoice.status !== 'active') throw new Error(`invoice ${id} is ${invoice.status}`);
      invoice.status = 'expired';
      return structuredClone(invoice);
    },
    buildUpdate(id, o = {}) {
      const invoice = find(id);
      if (invoice.status !== 'paid') throw new Error(`invoice ${id} is not paid`);
      return signedUpdate(invoice, o.requestDate);
    },
    deliverTampered(kind) {
      const last = outbox.notifications.at(-1);
      if (!last) throw new Error('no notification to tamper with');
      const forged = tamper(last, kind, CRYPTOPAY_SIGNATURE_HEADER, (body) => cryptoPaySignature(token, body));
      return outbox.deliverRaw(forged.body, forged.headers);
    },
    ...outbox.controls(),
    async close() {
      outbox.stop();
      await outbox.idle();
      await server.close();
    },
  };
  return controls;
}
