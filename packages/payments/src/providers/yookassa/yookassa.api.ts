import type { z } from 'zod';
import { codeForStatus, type HttpClient } from '../../http-client.js';
import { parseWith } from '../../parse.js';
import { PaymentError } from '../../provider.js';
import { yooErrorSchema, yooPaymentSchema, yooRefundSchema, type YooPayment, type YooRefund } from './yookassa.schema.js';

/** The YooKassa calls the adapter makes, each returning a checked object or throwing PaymentError. */
export interface YooKassaApi {
  createPayment(body: string, idempotenceKey: string): Promise<{ payment: YooPayment; raw: unknown }>;
  getPayment(id: string): Promise<{ payment: YooPayment; raw: unknown }>;
  createRefund(body: string, idempotenceKey: string): Promise<{ refund: YooRefund; raw: unknown }>;
  getRefund(id: string): Promise<{ refund: YooRefund; raw: unknown }>;
}

export function createYooKassaApi(http: HttpClient): YooKassaApi {
  async function call<S extends z.ZodType>(
    schema: S,
    what: string,
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    idempotenceKey?: string,
  ): Promise<{ value: z.output<S>; raw: unknown }> {
    const headers = idempotenceKey === undefined ? undefined : { 'Idempotence-Key': idempotenceKey };
    const response = await http.request({ method, path, body, headers });
    if (response.status !== 200) throw toError(response.status, response.json, `${method} ${path}`);
    return { value: parseWith('yookassa', schema, response.json, what), raw: response.json };
  }

  return {
    async createPayment(body, key) {
      const { value, raw } = await call(yooPaymentSchema, 'payment', 'POST', '/payments', body, key);
      return { payment: value, raw };
    },
    async getPayment(id) {
      const { value, raw } = await call(yooPaymentSchema, 'payment', 'GET', `/payments/${encodeURIComponent(id)}`);
      return { payment: value, raw };
    },
    async createRefund(body, key) {
      const { value, raw } = await call(yooRefundSchema, 'refund', 'POST', '/refunds', body, key);
      return { refund: value, raw };
    },
    async getRefund(id) {
      const { value, raw } = await call(yooRefundSchema, 'refund', 'GET', `/refunds/${encodeURIComponent(id)}`);
      return { refund: value, raw };
    },
  };
}

/**
 * YooKassa's error body `{type:"error", code, description, parameter}` to a PaymentError. HTTP 202
 * ("still processing", kept by the official SDK) and 500 ("result unknown") are retryable: the
 * caller repeats the request with the same Idempotence-Key.
 */
function toError(status: number, body: unknown, call: string): PaymentError {
  const parsed = yooErrorSchema.safeParse(body);
  const detail = parsed.success
    ? `${parsed.data.code}${parsed.data.parameter ? ` (${parsed.data.parameter})` : ''}: ${parsed.data.description ?? ''}`
    : 'no error body';
  return new PaymentError(codeForStatus(status), `yookassa ${call} answered ${status} ${detail}`.trim(), {
    status,
    provider: 'yookassa',
    providerCode: parsed.success ? parsed.data.code : undefined,
  });
}
