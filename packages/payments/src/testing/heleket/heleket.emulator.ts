import { randomBytes, randomUUID } from 'node:crypto';
import {
  HELEKET_MERCHANT_HEADER,
  HELEKET_SIGN_HEADER,
  heleketSign,
  signedHeleketWebhook,
} from '../../providers/heleket/heleket.signature.js';
import { header, jsonBody, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../shared/http-server.js';
import { NotificationOutbox, type NotificationControls, type NotificationOutboxOptions } from '../shared/notification-outbox.js';
import { invoiceJson, validateCreate, webhookFields, type EmuHeleketInvoice } from './heleket-invoice.js';

export interface HeleketEmulatorOptions extends NotificationOutboxOptions {
  merchantId?: string;
  paymentKey?: string;
  port?: number;
  /** Webhooks carry `X-Forwarded-For: <sourceIp>`, as if they came from Heleket through our proxy. */
  sourceIp?: string;
  /** Send webhook bodies with `/` escaped as `\/` like PHP (default) or plain; the sign always covers the escaped text. */
  escapeSlashes?: boolean;
  /** Roubles (or any fiat) per USDT when the payer pays; default 95. */
  usdtRate?: number;
}

/** What a forged copy of the latest webhook changes (the sign lives in the body, heleket.md §4). */
export type HeleketTampering = 'body' | 'signature' | 'missing-signature' | 'sender';

export interface HeleketEmulator extends NotificationControls {
  url: string;
  apiUrl: string;
  merchantId: string;
  paymentKey: string;
  /** The address webhooks claim to come from (X-Forwarded-For). */
  sourceIp: string | undefined;
  invoice(uuidOrOrderId: string): Record<string, unknown> | undefined;
  /** The payer pays: `paid` by default; `paid_over`, or `wrong_amount` (underpaid; `final` ends it). */
  pay(uuidOrOrderId: string, outcome?: { status?: 'paid' | 'paid_over' | 'wrong_amount'; final?: boolean }): Record<string, unknown>;
  /** Moves the invoice to any status (e.g. `confirm_check`, `fail`, `refund_paid`) and sends its webhook. */
  setStatus(uuidOrOrderId: string, status: string, final?: boolean): Record<string, unknown>;
  /** The lifetime ends unpaid: `cancel`, final, with its webhook. */
  expire(uuidOrOrderId: string): Record<string, unknown>;
  /** A genuine webhook body for the invoice's current state, optionally with other field values (signed over them). */
  buildWebhook(uuidOrOrderId: string, overrides?: Record<string, unknown>): { body: string; headers: Record<string, string> };
  deliverTampered(kind: HeleketTampering): Promise<number | 'error'>;
  /** Answer the next `count` API requests with HTTP `status`. */
  failNextRequests(count: number, status?: number): void;
  close(): Promise<void>;
}

const ok = (result: unknown): EmulatorResponse => ({ status: 200, body: { state: 0, result } });
const fail = (status: number, message: string, errors?: Record<string, string[]>): EmulatorResponse => ({
  status,
  body: { state: 1, message, ...(errors ? { errors } : {}) },
});

/**
 * A Heleket API emulator (heleket.md §5): every call a signed POST (`merchant`, `sign` =
 * md5(base64(body) + key)), `/v1/payment` returning the existing invoice for a repeated
 * `order_id`, `/v1/payment/info`, `/v1/payment/resend`, a pay page, and webhooks whose body carries
 * `sign` computed over the PHP-escaped JSON (`\/`), POSTed with retries.
 */
export async function createHeleketEmulator(options: HeleketEmulatorOptions = {}): Promise<HeleketEmulator> {
  const merchantId = options.merchantId ?? randomUUID();
  const paymentKey = options.paymentKey ?? randomBytes(32).toString('base64url');
  const escapeSlashes = options.escapeSlashes ?? true;
  const rate = options.usdtRate ?? 95;
  const outbox = new NotificationOutbox(options);
  const invoices = new Map<string, EmuHeleketInvoice>();
  const byOrder = new Map<string, string>();
  let injected = { count: 0, status: 500 };
  let baseUrl = '';

  const senderHeaders = (ip = options.sourceIp): Record<string, string> => (ip ? { 'x-forwarded-for': ip } : {});
  const find = (id: string): EmuHeleketInvoice | undefined => invoices.get(id) ?? invoices.get(byOrder.get(id) ?? '');
  const get = (id: string): EmuHeleketInvoice => {
    const invoice = find(id);
    if (!invoice) throw new Error(`no heleket invoice ${id}`);
    return refresh(invoice);
  };

  function notify(invoice: EmuHeleketInvoice): void {
    outbox.enqueue(signedHeleketWebhook(webhookFields(invoice), paymentKey, escapeSlashes), senderHeaders());
  }

  function move(invoice: EmuHeleketInvoice, status: string, final: boolean): EmuHeleketInvoice {
    Object.assign(invoice, { payment_status: status, is_final: final, updated_at: new Date().toISOString() });
    notify(invoice);
    return invoice;
  }

  /** An unpaid invoice past `expired_at` is cancelled (and says so) the next time anyone looks. */
  function refresh(invoice: EmuHeleketInvoice): EmuHeleketInvoice {
    if (!invoice.is_final && ['check', 'confirm_check'].includes(invoice.payment_status) && invoice.expired_at * 1000 <= Date.now())
      move(invoice, 'cancel', true);
    return invoice;
  }

  function api(req: EmulatorRequest): EmulatorResponse {
    if (req.method !== 'POST') return fail(405, 'Method not allowed');
    const text = req.rawBody.toString('utf8');
    if (header(req, HELEKET_MERCHANT_HEADER) !== merchantId || header(req, HELEKET_SIGN_HEADER) !== heleketSign(text, paymentKey))
      return fail(401, 'Unauthorized');
    if (injected.count > 0) {
      injected.count--;
      return fail(injected.status, 'Server error');
    }
    const body = jsonBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(422, 'Invalid JSON');
    const params = body as Record<string, unknown>;
    const lookup = () =>
      typeof params.uuid === 'string' ? find(params.uuid) : typeof params.order_id === 'string' ? find(params.order_id) : undefined;
    switch (req.path) {
      case '/v1/payment': {
        // Natural idempotency: a known order id answers its invoice, whatever else was sent.
        const existing = typeof params.order_id === 'string' ? find(params.order_id) : undefined;
        if (existing) return ok(invoiceJson(refresh(existing)));
        const created = validateCreate(params, (uuid) => `${baseUrl}/pay/${uuid}`);
        if (!created.ok) return fail(422, 'Validation error', created.errors);
        invoices.set(created.invoice.uuid, created.invoice);
        byOrder.set(created.invoice.order_id, created.invoice.uuid);
        return ok(invoiceJson(created.invoice));
      }
      case '/v1/payment/info': {
        const invoice = lookup();
        return invoice ? ok(invoiceJson(refresh(invoice))) : fail(404, 'Payment not found');
      }
      case '/v1/payment/resend': {
        const invoice = lookup();
        if (!invoice) return fail(404, 'Payment not found');
        notify(refresh(invoice));
        return ok([]);
      }
      default:
        return fail(404, 'Not found');
    }
  }

  function pay(invoice: EmuHeleketInvoice, status: 'paid' | 'paid_over' | 'wrong_amount', final: boolean): EmuHeleketInvoice {
    const fiat = Number(invoice.amount);
    const factor = status === 'paid_over' ? 1.1 : status === 'wrong_amount' ? 0.5 : 1;
    Object.assign(invoice, {
      payer_currency: 'USDT',
      network: 'tron',
      payer_amount: ((fiat * factor) / rate).toFixed(2),
      txid: randomBytes(32).toString('hex'),
    });
    return move(invoice, status, status === 'wrong_amount' ? final : true);
  }

  /** The pay page: `?action=pay|overpay|underpay|cancel` stands for what the payer does on Heleket's page. */
  function page(req: EmulatorRequest, uuid: string): EmulatorResponse {
    const invoice = invoices.get(uuid);
    if (!invoice) return { status: 404, text: 'unknown invoice' };
    const open = !refresh(invoice).is_final;
    const action = req.query.get('action');
    if (open && action === 'pay') pay(invoice, 'paid', true);
    if (open && action === 'overpay') pay(invoice, 'paid_over', true);
    if (open && action === 'underpay') pay(invoice, 'wrong_amount', false);
    if (open && action === 'cancel') move(invoice, 'cancel', true);
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      text: `<h1>Heleket emulator</h1><p>Invoice ${invoice.order_id}: ${invoice.amount} ${invoice.currency}, ${invoice.payment_status}</p><p><a href="?action=pay">Pay</a> · <a href="?action=overpay">Overpay</a> · <a href="?action=underpay">Underpay</a> · <a href="?action=cancel">Cancel</a></p>`,
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
    paymentKey,
    sourceIp: options.sourceIp,
    invoice: (id) => {
      const invoice = find(id);
      return invoice ? invoiceJson(refresh(invoice)) : undefined;
    },
    pay: (id, outcome = {}) => invoiceJson(pay(get(id), outcome.status ?? 'paid', outcome.final ?? false)),
    setStatus: (id, status, final = true) => invoiceJson(move(get(id), status, final)),
    expire(id) {
      const invoice = get(id);
      invoice.expired_at = Math.floor(Date.now() / 1000) - 1;
      return invoiceJson(refresh(invoice));
    },
    buildWebhook(id, overrides = {}) {
      return {
        body: signedHeleketWebhook({ ...webhookFields(get(id)), ...overrides }, paymentKey, escapeSlashes),
        headers: senderHeaders(),
      };
    },
    deliverTampered(kind) {
      const last = outbox.notifications.at(-1);
      if (!last) throw new Error('no notification to tamper with');
      const fields = JSON.parse(last.body) as Record<string, unknown>;
      const { sign, ...rest } = fields;
      switch (kind) {
        case 'body':
          return outbox.deliverRaw(JSON.stringify({ ...rest, order_id: randomUUID(), sign }), last.headers);
        case 'signature':
          return outbox.deliverRaw(signedHeleketWebhook(rest, `${paymentKey}x`, escapeSlashes), last.headers);
        case 'missing-signature':
          return outbox.deliverRaw(JSON.stringify(rest), last.headers);
        case 'sender':
          return outbox.deliverRaw(last.body, senderHeaders('203.0.113.66'));
      }
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
