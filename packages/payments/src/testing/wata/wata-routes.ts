import { randomUUID } from 'node:crypto';
import { jsonNumberToMinor } from '../../money.js';
import type { EmulatorRequest, EmulatorResponse } from '../shared/http-server.js';
import { jsonBody } from '../shared/http-server.js';
import { linkJson, transactionJson, type EmuLink, type WataStore } from './wata-store.js';

/** WATA's error body (wata.md §2). */
export function wataError(status: number, message: string, code: string | null = null, members: string[] = []): EmulatorResponse {
  const validationErrors = members.map((m) => ({ message, members: [m] }));
  return {
    status,
    body: {
      error: {
        code,
        message: status === 400 && code === null ? 'Your request is invalid!' : message,
        details: `The following validation errors were found – ${message}`,
        data: {},
        validationErrors,
      },
    },
  };
}

const MIN_MINOR: Record<string, number> = { RUB: 1000, USD: 100, EUR: 100 };
const MAX_MINOR = 99_999_999;
const MINUTE = 60_000;

type Body = Record<string, unknown>;
const objectBody = (req: EmulatorRequest): Body | undefined => {
  const body = jsonBody(req);
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : undefined;
};

/** A JSON number with at most two decimals, in minor units, or undefined. */
function minorOf(value: unknown): number | undefined {
  if (typeof value !== 'number') return undefined;
  try {
    const minor = jsonNumberToMinor(value, 2);
    return minor > 0 ? minor : undefined;
  } catch {
    return undefined;
  }
}

/** `POST /links` with the checks of wata.md §3–§4. */
export function createLinkRoute(
  store: WataStore,
  req: EmulatorRequest,
  payUrl: (id: string) => string,
  clock: () => number = Date.now,
): EmulatorResponse {
  const body = objectBody(req);
  if (!body) return wataError(400, "'Body' is required.", null, ['body']);
  const minor = minorOf(body.amount);
  if (body.amount === undefined) return wataError(400, "'Amount' is required.", null, ['amount']);
  if (minor === undefined) return wataError(400, "'Amount' must be a positive number with at most 2 decimals.", null, ['amount']);
  const currency = body.currency;
  if (typeof currency !== 'string' || MIN_MINOR[currency] === undefined)
    return wataError(400, "'Currency' must be one of RUB, EUR, USD.", null, ['currency']);
  if (minor < MIN_MINOR[currency] || minor > MAX_MINOR)
    return wataError(400, 'Amount is outside the terminal limits', 'Payment:PL_InvalidAmount', ['amount']);
  const now = clock();
  const expires = typeof body.expirationDateTime === 'string' ? Date.parse(body.expirationDateTime) : now + 3 * 24 * 60 * MINUTE;
  if (Number.isNaN(expires) || expires < now + 10 * MINUTE - 5_000 || expires > now + 30 * 24 * 60 * MINUTE) {
    return wataError(400, "'Expiration Date Time' must be between 10 minutes and 30 days from now.", null, ['expirationDateTime']);
  }
  const type = body.type ?? 'OneTime';
  if (type !== 'OneTime' && type !== 'ManyTime') return wataError(400, "'Type' is invalid.", null, ['type']);
  const id = randomUUID();
  const link: EmuLink = {
    id,
    amountMinor: minor,
    currency,
    status: 'Opened',
    url: payUrl(id),
    ...(typeof body.orderId === 'string' ? { orderId: body.orderId } : {}),
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
    ...(typeof body.successRedirectUrl === 'string' ? { successRedirectUrl: body.successRedirectUrl } : {}),
    ...(typeof body.failRedirectUrl === 'string' ? { failRedirectUrl: body.failRedirectUrl } : {}),
    expirationDateTime: new Date(expires).toISOString(),
    creationTime: new Date(now).toISOString(),
    type,
  };
  store.links.set(id, link);
  return { status: 200, body: linkJson(link) };
}

/** `GET /links/?orderId=&statuses=&skipCount=&maxResultCount=` → `{items, totalCount}`. */
export function searchLinksRoute(store: WataStore, query: URLSearchParams): EmulatorResponse {
  const statuses = query.get('statuses')?.split(',');
  const all = [...store.links.values()]
    .filter((l) => (query.get('orderId') ? l.orderId === query.get('orderId') : true))
    .filter((l) => (statuses ? statuses.includes(l.status) : true));
  const skip = Number(query.get('skipCount') ?? 0);
  const max = Math.min(Number(query.get('maxResultCount') ?? 10), 1000);
  return { status: 200, body: { items: all.slice(skip, skip + max).map(linkJson), totalCount: all.length } };
}

/** `GET /v2/transactions?OrderId=&Statuses=&MaxResultCount=` → a cursor page (one page here). */
export function searchTransactionsRoute(store: WataStore, query: URLSearchParams): EmulatorResponse {
  const statuses = query.get('Statuses')?.split(',');
  const max = Math.min(Number(query.get('MaxResultCount') ?? 10), 1000);
  const all = [...store.transactions.values()]
    .filter((t) => (query.get('OrderId') ? t.orderId === query.get('OrderId') : true))
    .filter((t) => (statuses ? statuses.includes(t.status) : true));
  return {
    status: 200,
    body: {
      items: all.slice(0, max).map(transactionJson),
      hasNextPage: all.length > max,
      nextCursorId: null,
      nextCursorDate: null,
      nextCursorAmount: null,
    },
  };
}

/** `POST /transactions/refunds`: of a Paid payment, up to what is left (TRA_NotEnoughFunds beyond). */
export function refundRoute(store: WataStore, req: EmulatorRequest): EmulatorResponse {
  const body = objectBody(req);
  const original = typeof body?.originalTransactionId === 'string' ? store.transactions.get(body.originalTransactionId) : undefined;
  if (!original || original.kind !== 'Payment')
    return wataError(400, 'Original transaction not found', 'TRA_NotFound', ['originalTransactionId']);
  if (original.status !== 'Paid') return wataError(400, 'Original transaction is not paid', 'TRA_InvalidStatus', ['originalTransactionId']);
  const minor = minorOf(body?.amount);
  if (minor === undefined) return wataError(400, "'Amount' must be a positive number with at most 2 decimals.", null, ['amount']);
  if (store.refundedMinor(original) + minor > original.amountMinor)
    return wataError(400, 'Not enough funds to refund', 'TRA_NotEnoughFunds', ['amount']);
  const refund = store.refund(original, minor);
  return {
    status: 200,
    body: {
      transactionId: refund.id,
      originalTransactionId: original.id,
      transactionStatus: refund.status,
      kind: 'Refund',
      errorCode: null,
      errorDescription: null,
    },
  };
}
