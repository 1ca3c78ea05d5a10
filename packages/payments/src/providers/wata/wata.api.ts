import type { z } from 'zod';
import { codeForStatus, type HttpClient, type HttpRequest } from '../../http-client.js';
import { parseWith } from '../../parse.js';
import { PaymentError } from '../../provider.js';
import {
  wataErrorSchema,
  wataLinkListSchema,
  wataLinkSchema,
  wataPublicKeySchema,
  wataRefundResultSchema,
  wataTransactionListSchema,
  type WataLink,
  type WataTransaction,
} from './wata.schema.js';

/** The WATA H2H calls the adapter makes (wata.md §4–§5), each checked or turned into PaymentError. */
export interface WataApi {
  /** `amount` is the decimal text written verbatim as the JSON number. */
  createLink(amount: string, fields: Record<string, unknown>): Promise<WataLink>;
  findLinks(orderId: string): Promise<WataLink[]>;
  findTransactions(orderId: string): Promise<WataTransaction[]>;
  refund(originalTransactionId: string, amount: string): Promise<z.output<typeof wataRefundResultSchema>>;
  publicKeyPem(): Promise<string>;
  /**
   * How far WATA's clock was ahead of `localNow` at its last answer (ms; the `Date` header is in
   * whole seconds, so this is rounded up by one), or 0 before any answer with a date.
   */
  clockOffsetMs(): number;
}

/**
 * A JSON object whose first member is `"amount": <decimal>` written as given, so 299.00 leaves as
 * `299.00` without passing through a float (WATA wants a JSON number in major units).
 */
export function jsonWithAmount(amount: string, rest: Record<string, unknown>): string {
  if (!/^\d+(\.\d+)?$/.test(amount)) throw new RangeError(`not a decimal amount: ${amount}`);
  const tail = JSON.stringify(rest).slice(1);
  return `{"amount":${amount}${tail === '}' ? '' : ','}${tail}`;
}

export function createWataApi(
  http: HttpClient,
  keyHttp: HttpClient,
  publicKeyUrl: string,
  localNow: () => Date = () => new Date(),
): WataApi {
  let offsetMs = 0;
  async function call<S extends z.ZodType>(client: HttpClient, schema: S, what: string, req: HttpRequest): Promise<z.output<S>> {
    const response = await client.request(req);
    if (response.date) offsetMs = response.date.getTime() + 1_000 - localNow().getTime();
    if (response.status !== 200) {
      const parsed = wataErrorSchema.safeParse(response.json);
      const error = parsed.success ? parsed.data.error : undefined;
      const detail = [error?.code, error?.message, error?.details].filter(Boolean).join(' ');
      throw new PaymentError(
        codeForStatus(response.status),
        `wata ${req.method} ${req.path} answered ${response.status} ${detail}`.trim(),
        {
          status: response.status,
          provider: 'wata',
          ...(error?.code ? { providerCode: error.code } : {}),
        },
      );
    }
    return parseWith('wata', schema, response.json, what);
  }

  return {
    createLink: (amount, fields) =>
      call(http, wataLinkSchema, 'link', { method: 'POST', path: '/links', body: jsonWithAmount(amount, fields) }),
    async findLinks(orderId) {
      const list = await call(http, wataLinkListSchema, 'link list', {
        method: 'GET',
        path: `/links/?orderId=${encodeURIComponent(orderId)}&maxResultCount=1000`,
      });
      return list.items.filter((link) => link.orderId === orderId);
    },
    async findTransactions(orderId) {
      const list = await call(http, wataTransactionListSchema, 'transaction list', {
        method: 'GET',
        path: `/v2/transactions?OrderId=${encodeURIComponent(orderId)}&MaxResultCount=1000`,
      });
      return list.items.filter((tx) => tx.orderId === orderId);
    },
    refund: (originalTransactionId, amount) =>
      call(http, wataRefundResultSchema, 'refund', {
        method: 'POST',
        path: '/transactions/refunds',
        body: jsonWithAmount(amount, { originalTransactionId }),
      }),
    async publicKeyPem() {
      const key = await call(keyHttp, wataPublicKeySchema, 'public key', { method: 'GET', path: '/public-key', url: publicKeyUrl });
      return key.value;
    },
    clockOffsetMs: () => offsetMs,
  };
}
