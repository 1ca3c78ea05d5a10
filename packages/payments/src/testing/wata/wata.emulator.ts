import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { WATA_SIGNATURE_HEADER, wataSign } from '../../providers/wata/wata.signature.js';
import { header, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../shared/http-server.js';
import { NotificationOutbox, type NotificationControls, type NotificationOutboxOptions } from '../shared/notification-outbox.js';
import { tamper, type Tampering } from '../shared/tampering.js';
import { createLinkRoute, refundRoute, searchLinksRoute, searchTransactionsRoute, wataError } from './wata-routes.js';
import { linkJson, transactionJson, WataStore, webhookJson, type EmuLink, type EmuTransaction } from './wata-store.js';

export interface WataEmulatorOptions extends NotificationOutboxOptions {
  /** The terminal's Bearer token; random by default. */
  token?: string;
  port?: number;
  /** How far the terminal's clock is ahead of this machine's (ms; negative: behind). It checks link lifetimes by it and sends it as `Date`. */
  clockOffsetMs?: number;
}

export interface WataEmulator extends NotificationControls {
  url: string;
  /** Pass as the adapter's `apiUrl` (`${url}/api/h2h`). */
  apiUrl: string;
  token: string;
  /** The current webhook public key (PEM), as `GET /public-key` returns it. */
  readonly publicKeyPem: string;
  /** A link by id or by order id (the newest), as JSON. */
  link(idOrOrderId: string): Record<string, unknown> | undefined;
  transactions(orderId?: string): Array<Record<string, unknown>>;
  /** The payer pays the link (by link id or order id): a Paid transaction and its webhook. */
  pay(idOrOrderId: string, type?: EmuTransaction['type']): Record<string, unknown>;
  /** The bank declines an attempt: a Declined transaction and its webhook; the link stays open. */
  decline(idOrOrderId: string, errorCode?: string): Record<string, unknown>;
  /** The link's lifetime ends. */
  expireLink(idOrOrderId: string): void;
  /** WATA deletes an expired link some time later: `GET /links` no longer lists it. */
  forgetLink(idOrOrderId: string): void;
  /** A new RSA key pair: later webhooks are signed with it and `/public-key` serves it. */
  rotateKey(): void;
  deliverTampered(kind: Tampering): Promise<number | 'error'>;
  /** The headers WATA would send with `body` (a genuine `X-Signature` with the current key). */
  signatureHeaders(body: string): Record<string, string>;
  /** Answer the next `count` authenticated API requests with `status` (500 by default). */
  failNextRequests(count: number, status?: number): void;
  /** Number of `GET /public-key` requests served. */
  readonly publicKeyRequests: number;
  close(): Promise<void>;
}

function newKeyPair(): { privateKey: KeyObject; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/**
 * A WATA H2H emulator (wata.md §7): Bearer auth, payment links, transactions, refunds, the
 * public-key endpoint, and post-payment / refund webhooks signed SHA512withRSA (base64 in
 * `X-Signature`) POSTed to the webhook URL with retries.
 */
export async function createWataEmulator(options: WataEmulatorOptions = {}): Promise<WataEmulator> {
  const token = options.token ?? `eyJ${randomBytes(24).toString('base64url')}`;
  const outbox = new NotificationOutbox(options);
  const clock = () => Date.now() + (options.clockOffsetMs ?? 0);
  let keys = newKeyPair();
  let publicKeyRequests = 0;
  let injected = { count: 0, status: 500 };
  const store = new WataStore((tx) => {
    const body = JSON.stringify(webhookJson(tx));
    outbox.enqueue(body, { [WATA_SIGNATURE_HEADER]: wataSign(keys.privateKey, body) });
  });
  let baseUrl = '';

  const linkOf = (idOrOrderId: string): EmuLink => {
    const link = store.findLink(idOrOrderId);
    if (!link) throw new Error(`no link ${idOrOrderId}`);
    // An open link past its lifetime is closed the next time anyone looks.
    if (link.status === 'Opened' && Date.parse(link.expirationDateTime) <= Date.now()) link.status = 'Closed';
    return link;
  };

  function api(req: EmulatorRequest, path: string): EmulatorResponse {
    if (req.method === 'GET' && path === '/public-key') {
      publicKeyRequests++;
      return { status: 200, body: { value: keys.publicKeyPem } };
    }
    if (header(req, 'authorization') !== `Bearer ${token}`) return { status: 401, text: '' };
    if (injected.count > 0) {
      injected.count--;
      return wataError(injected.status, 'An internal error occurred during your request!');
    }
    if (req.method === 'POST' && path === '/links') return createLinkRoute(store, req, (id) => `${baseUrl}/pay/${id}`, clock);
    if (req.method === 'GET' && (path === '/links' || path === '/links/')) {
      for (const link of store.links.values()) linkOf(link.id);
      return searchLinksRoute(store, req.query);
    }
    const linkMatch = /^\/links\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && linkMatch) {
      const link = store.links.get(linkMatch[1] ?? '');
      return link ? { status: 200, body: linkJson(linkOf(link.id)) } : wataError(404, 'Payment link not found', 'PL_NotFound');
    }
    if (req.method === 'GET' && path === '/v2/transactions') return searchTransactionsRoute(store, req.query);
    const txMatch = /^\/transactions\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && txMatch && txMatch[1] !== 'refunds') {
      const tx = store.transactions.get(txMatch[1] ?? '');
      return tx ? { status: 200, body: transactionJson(tx) } : wataError(404, 'Transaction not found', 'TRA_NotFound');
    }
    if (req.method === 'POST' && path === '/transactions/refunds') return refundRoute(store, req);
    return wataError(404, `No route ${req.method} ${path}`, 'NotFound');
  }

  /** The payment page: `?action=pay` or `?action=decline` stands for what the payer does there. */
  function page(req: EmulatorRequest, id: string): EmulatorResponse {
    const link = store.links.get(id);
    if (!link) return { status: 404, text: 'unknown link' };
    const action = req.query.get('action');
    if (action === 'pay' && linkOf(id).status === 'Opened') store.pay(link);
    if (action === 'decline' && linkOf(id).status === 'Opened') store.decline(link, 'InsufficientFunds');
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      text: `<h1>WATA emulator</h1><p>${link.description ?? ''}: ${link.status}</p><p><a href="?action=pay">Pay</a> · <a href="?action=decline">Decline</a></p>`,
    };
  }

  const server = await startHttpServer(
    (req) => {
      if (req.path.startsWith('/api/h2h/')) return api(req, req.path.slice('/api/h2h'.length));
      const payMatch = /^\/pay\/([^/]+)$/.exec(req.path);
      return payMatch ? page(req, payMatch[1] ?? '') : { status: 404, text: 'not found' };
    },
    { port: options.port, clock },
  );
  baseUrl = server.url;

  return {
    url: server.url,
    apiUrl: `${server.url}/api/h2h`,
    token,
    get publicKeyPem() {
      return keys.publicKeyPem;
    },
    link: (id) => {
      const link = store.findLink(id);
      return link ? linkJson(linkOf(link.id)) : undefined;
    },
    transactions: (orderId) =>
      [...store.transactions.values()].filter((t) => orderId === undefined || t.orderId === orderId).map(transactionJson),
    pay: (id, type) => transactionJson(store.pay(linkOf(id), type)),
    decline: (id, errorCode = 'InsufficientFunds') => transactionJson(store.decline(linkOf(id), errorCode)),
    expireLink(id) {
      linkOf(id).status = 'Closed';
    },
    forgetLink(id) {
      store.links.delete(linkOf(id).id);
    },
    rotateKey() {
      keys = newKeyPair();
    },
    deliverTampered(kind) {
      const last = outbox.notifications.at(-1);
      if (!last) throw new Error('no notification to tamper with');
      const forged = tamper(last, kind, WATA_SIGNATURE_HEADER, (body) => wataSign(keys.privateKey, body));
      return outbox.deliverRaw(forged.body, forged.headers);
    },
    signatureHeaders: (body) => ({ [WATA_SIGNATURE_HEADER]: wataSign(keys.privateKey, body) }),
    failNextRequests(count, status = 500) {
      injected = { count, status };
    },
    get publicKeyRequests() {
      return publicKeyRequests;
    },
    ...outbox.controls(),
    async close() {
      outbox.stop();
      await outbox.idle();
      await server.close();
    },
  };
}
