import { randomUUID } from 'node:crypto';
import { header, jsonBody, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../shared/http-server.js';
import { NotificationOutbox, type NotificationControls, type NotificationOutboxOptions } from '../shared/notification-outbox.js';
import {
  YooKassaStore,
  type EmuPayment,
  type EmuRefund,
  type SavedMethodOutcome,
  type YooCancellationReason,
  type YooEventName,
} from './yookassa-store.js';
import { invalid, yooError } from './yookassa-validation.js';
import { createPaymentRoute, refundRoute } from './yookassa-routes.js';

export interface YooKassaEmulatorOptions extends NotificationOutboxOptions {
  shopId?: string;
  secretKey?: string;
  port?: number;
  /** Require a 54-FZ receipt on payments and refunds (a shop on "Чеки от ЮKassa"); default true. */
  requireReceipt?: boolean;
  /** The shop has recurring payments (YooKassa enables them on request); without, save_payment_method is refused (403). Default true. */
  recurring?: boolean;
  /**
   * Added as `X-Forwarded-For` to every notification, to stand for a YooKassa sender address
   * behind a trusted proxy; the TCP peer is always 127.0.0.1.
   */
  sourceIp?: string;
}

export interface YooKassaEmulator extends NotificationControls {
  /** The emulator root; the API is under `${url}/v3`. */
  url: string;
  /** Pass as the adapter's `apiUrl`. */
  apiUrl: string;
  shopId: string;
  secretKey: string;
  /** A copy of the payment's current state. */
  payment(id: string): EmuPayment | undefined;
  refunds(): EmuRefund[];
  /** The customer pays on the confirmation page. */
  pay(id: string): EmuPayment;
  /** The payment is declined (default `insufficient_funds`) or its confirmation expires (`expired_on_confirmation`). */
  fail(id: string, reason?: YooCancellationReason): EmuPayment;
  /** A saved method the shop can charge; `outcome` is what its next charges do. */
  addSavedMethod(outcome?: SavedMethodOutcome): string;
  /** Make the next charges of a saved method succeed, or be declined with a cancellation reason such as `insufficient_funds`. */
  setSavedMethodOutcome(methodId: string, outcome: SavedMethodOutcome): void;
  /** The shop's key is rotated (the adapter's one is refused with 401 from now on); returns the new key. */
  rotateSecretKey(): string;
  /** Put the key back (the operator fixed the configuration). */
  setSecretKey(key: string): void;
  /** YooKassa switched the shop's recurring payments on or off (saves and saved-method charges answer 403 while off). */
  setRecurring(on: boolean): void;
  /** Answer the next `count` API requests with this error status (500 internal_server_error by default). */
  failNextRequests(count: number, status?: number): void;
  /** Send a notification the emulator did not produce (forgeries); returns the receiver's status. */
  deliverFabricated(event: YooEventName, object: unknown): Promise<number | 'error'>;
  /** Number of API requests received, per `METHOD path`. */
  readonly requestCount: Map<string, number>;
  close(): Promise<void>;
}

interface CachedResponse {
  fingerprint: string;
  response: EmulatorResponse;
  expiresAt: number;
}

const DAY_MS = 86_400_000;

/**
 * A YooKassa API v3 emulator (yookassa.md §11): Basic auth, required Idempotence-Key with replay
 * and "Idempotence key duplicated" on a changed body, payments with the redirect confirmation and
 * a checkout page, saved methods, refunds, and unsigned notifications POSTed to the webhook URL
 * with retries.
 */
export async function createYooKassaEmulator(options: YooKassaEmulatorOptions = {}): Promise<YooKassaEmulator> {
  const shopId = options.shopId ?? '100500';
  let secretKey = options.secretKey ?? `test_${randomUUID().replaceAll('-', '')}`;
  let recurring = options.recurring ?? true;
  const outbox = new NotificationOutbox(options);
  const extraHeaders: Record<string, string> = options.sourceIp ? { 'x-forwarded-for': options.sourceIp } : {};
  const notify = (event: YooEventName, object: unknown) =>
    outbox.enqueue(JSON.stringify({ type: 'notification', event, object }), extraHeaders);
  const store = new YooKassaStore(shopId, notify);
  const idempotency = new Map<string, CachedResponse>();
  const requestCount = new Map<string, number>();
  let injected: { count: number; status: number } = { count: 0, status: 500 };
  let baseUrl = '';
  const returnUrls = new Map<string, string>();
  const ctx = () => ({ store, baseUrl, requireReceipt: options.requireReceipt ?? true, recurring });

  function authorised(req: EmulatorRequest): boolean {
    const auth = header(req, 'authorization') ?? '';
    if (!auth.startsWith('Basic ')) return false;
    return Buffer.from(auth.slice(6), 'base64').toString('utf8') === `${shopId}:${secretKey}`;
  }

  /** Replays the response cached under the key; a key reused with another request is refused. */
  function idempotent(req: EmulatorRequest, run: () => EmulatorResponse): EmulatorResponse {
    const key = header(req, 'idempotence-key');
    if (key === undefined || key === '') return invalid('Idempotence key is empty', 'Idempotence-Key');
    if (key.length > 64) return invalid('Idempotence key is too long. Max length is 64 characters', 'Idempotence-Key');
    if (!/^[0-9a-zA-Z+\-_.]+$/.test(key)) return invalid('Idempotence key contains invalid characters', 'Idempotence-Key');
    const fingerprint = `${req.method} ${req.path} ${JSON.stringify(jsonBody(req) ?? req.rawBody.toString('utf8'))}`;
    const cached = idempotency.get(key);
    if (cached && cached.expiresAt > Date.now()) {
      return cached.fingerprint === fingerprint ? cached.response : invalid('Idempotence key duplicated', 'Idempotence-Key');
    }
    const response = run();
    // Server errors are not remembered, so a retry with the same key is tried again.
    if (response.status < 500) idempotency.set(key, { fingerprint, response, expiresAt: Date.now() + DAY_MS });
    return response;
  }

  function api(req: EmulatorRequest, path: string): EmulatorResponse {
    const count = `${req.method} ${path.replace(/[0-9a-f-]{36}/g, ':id')}`;
    requestCount.set(count, (requestCount.get(count) ?? 0) + 1);
    if (injected.count > 0) {
      injected.count--;
      return yooError(injected.status, injected.status >= 500 ? 'internal_server_error' : 'too_many_requests', 'Injected failure');
    }
    if (!authorised(req)) return yooError(401, 'invalid_credentials', 'Basic authentication failed');
    if (req.method === 'POST' && path === '/payments') return idempotent(req, () => createPaymentRoute(ctx(), jsonBody(req)));
    if (req.method === 'POST' && path === '/refunds') return idempotent(req, () => refundRoute(ctx(), jsonBody(req)));
    const paymentMatch = /^\/payments\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (paymentMatch) {
      const payment = store.payments.get(paymentMatch[1] ?? '');
      if (!payment) return yooError(404, 'not_found', 'Payment not found or forbidden', 'payment_id');
      if (req.method === 'GET' && !paymentMatch[2]) return { status: 200, body: payment };
      if (req.method !== 'POST') return { status: 405, text: '' };
      return idempotent(req, () => {
        if (payment.status !== 'waiting_for_capture') return invalid(`Payment is in ${payment.status} status`, 'payment_id');
        if (paymentMatch[2] === 'capture') store.captureNow(payment);
        else store.cancel(payment.id, 'canceled_by_merchant', 'merchant');
        return { status: 200, body: structuredClone(payment) };
      });
    }
    const refundMatch = /^\/refunds\/([^/]+)$/.exec(path);
    if (refundMatch && req.method === 'GET') {
      const refund = store.refunds.get(refundMatch[1] ?? '');
      return refund ? { status: 200, body: refund } : yooError(404, 'not_found', 'Refund not found or forbidden', 'refund_id');
    }
    return yooError(404, 'not_found', `No route ${req.method} ${path}`);
  }

  /** The confirmation page: `?action=pay` or `?action=fail` stands for what the customer does there. */
  function checkout(req: EmulatorRequest, id: string): EmulatorResponse {
    const payment = store.payments.get(id);
    if (!payment) return { status: 404, text: 'unknown payment' };
    // YooKassa drops `confirmation` once the payment is paid; the page keeps the way back.
    if (payment.confirmation) returnUrls.set(id, payment.confirmation.return_url);
    const action = req.query.get('action');
    if (action === 'pay' && payment.status === 'pending') store.pay(id);
    if (action === 'fail' && payment.status === 'pending')
      store.cancel(id, (req.query.get('reason') ?? 'insufficient_funds') as YooCancellationReason);
    return { status: 200, contentType: 'text/html; charset=utf-8', text: checkoutPage(payment, returnUrls.get(id)) };
  }

  const server = await startHttpServer(
    (req) => {
      if (req.path.startsWith('/v3/')) return api(req, req.path.slice(3));
      const checkoutMatch = /^\/checkout\/([^/]+)$/.exec(req.path);
      if (checkoutMatch) return checkout(req, checkoutMatch[1] ?? '');
      return { status: 404, text: 'not found' };
    },
    { port: options.port },
  );
  baseUrl = server.url;

  return {
    url: server.url,
    apiUrl: `${server.url}/v3`,
    shopId,
    secretKey,
    payment: (id) => structuredClone(store.payments.get(id)),
    refunds: () => [...store.refunds.values()].map((r) => structuredClone(r)),
    pay: (id) => structuredClone(store.pay(id)),
    fail: (id, reason = 'insufficient_funds') => structuredClone(store.cancel(id, reason)),
    addSavedMethod(outcome = 'succeed') {
      const id = randomUUID();
      store.savedMethods.set(id, { id, outcome });
      return id;
    },
    setSavedMethodOutcome(methodId, outcome) {
      const method = store.savedMethods.get(methodId);
      if (!method) throw new Error(`no saved method ${methodId}`);
      method.outcome = outcome;
    },
    rotateSecretKey() {
      secretKey = `test_${randomUUID().replaceAll('-', '')}`;
      return secretKey;
    },
    setSecretKey(key) {
      secretKey = key;
    },
    setRecurring(on) {
      recurring = on;
    },
    failNextRequests(count, status = 500) {
      injected = { count, status };
    },
    deliverFabricated: (event, object) => outbox.deliverRaw(JSON.stringify({ type: 'notification', event, object }), extraHeaders),
    requestCount,
    ...outbox.controls(),
    async close() {
      outbox.stop();
      await outbox.idle();
      await server.close();
    },
  };
}

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The checkout page as a customer sees it: Pay and Decline while the payment is pending; after
 * that, its outcome and the way back to the shop (the payment's `return_url`, where YooKassa
 * sends the customer), never the buttons again.
 */
function checkoutPage(payment: EmuPayment, back: string | undefined): string {
  const amount = `${escapeHtml(payment.amount.value)} ${escapeHtml(payment.amount.currency)}`;
  const outcome: Record<string, string> = {
    succeeded: 'Payment succeeded',
    waiting_for_capture: 'Payment authorised, waiting for the shop to capture it',
    canceled: 'Payment declined',
  };
  const body =
    payment.status === 'pending'
      ? `<p><a class="button" id="pay" href="?action=pay">Pay</a> <a class="button decline" id="decline" href="?action=fail">Decline</a></p>`
      : `<p id="outcome">${outcome[payment.status] ?? escapeHtml(payment.status)}</p>` +
        (back ? `<p><a class="button" id="back" href="${escapeHtml(back)}">Back to the bot</a></p>` : '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>YooKassa emulator</title>
<style>*{box-sizing:border-box}body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;text-align:center}
p{overflow-wrap:anywhere}a.button{display:inline-block;margin:.25rem;padding:.75rem 1.5rem;border-radius:.5rem;background:#2481cc;color:#fff;text-decoration:none}
a.decline{background:#888}</style></head>
<body><h1>YooKassa emulator</h1><p>Payment ${escapeHtml(payment.id)}: ${amount}</p>${body}</body></html>`;
}
