import { codeForStatus, type HttpClient } from '../../http-client.js';
import { parseWith } from '../../parse.js';
import { PaymentError } from '../../provider.js';
import { heleketEnvelopeSchema, heleketInvoiceSchema, type HeleketInvoice } from './heleket.schema.js';
import { HELEKET_MERCHANT_HEADER, HELEKET_SIGN_HEADER, heleketSign } from './heleket.signature.js';

export interface HeleketApi {
  createInvoice(params: Record<string, unknown>): Promise<{ invoice: HeleketInvoice; raw: unknown }>;
  /** `POST /v1/payment/info` by `uuid` or `order_id`. */
  info(by: { uuid: string } | { order_id: string }): Promise<{ invoice: HeleketInvoice; raw: unknown }>;
}

/**
 * Heleket calls: every one a POST whose exact JSON text is signed in the `sign` header
 * (md5(base64(body) + payment key), heleket.md §1), answered `{state: 0, result}`.
 */
export function createHeleketApi(http: HttpClient, merchantId: string, paymentKey: string): HeleketApi {
  async function call(path: string, params: Record<string, unknown>): Promise<{ invoice: HeleketInvoice; raw: unknown }> {
    // Built once and sent as these very bytes: the signature covers the literal text.
    const body = JSON.stringify(params);
    const response = await http.request({
      method: 'POST',
      path,
      body,
      headers: { [HELEKET_MERCHANT_HEADER]: merchantId, [HELEKET_SIGN_HEADER]: heleketSign(body, paymentKey) },
    });
    const envelope = heleketEnvelopeSchema.safeParse(response.json);
    const ok = response.status === 200 && envelope.success && (envelope.data.state ?? 0) === 0 && envelope.data.result !== undefined;
    if (!ok) {
      const message = envelope.success ? (envelope.data.message ?? JSON.stringify(envelope.data.errors ?? '')) : 'unexpected response';
      // Heleket answers a bad signature or merchant with 401 and validation with 422 (Cryptomus' convention, UNVERIFIED).
      const status = response.status === 200 ? 400 : response.status;
      const code = response.status === 200 && /not found/i.test(message) ? 'not_found' : codeForStatus(status === 422 ? 400 : status);
      throw new PaymentError(code, `heleket ${path} answered ${response.status}: ${message}`.slice(0, 500), {
        status: response.status,
        provider: 'heleket',
      });
    }
    const result = envelope.data?.result;
    return { invoice: parseWith('heleket', heleketInvoiceSchema, result, 'invoice'), raw: result };
  }
  return {
    createInvoice: (params) => call('/v1/payment', params),
    info: (by) => call('/v1/payment/info', by),
  };
}
