import { randomUUID } from 'node:crypto';

/** An invoice as the emulator keeps it; `json` is what `/v1/payment` and `/v1/payment/info` answer. */
export interface EmuHeleketInvoice {
  uuid: string;
  order_id: string;
  amount: string;
  currency: string;
  payment_status: string;
  is_final: boolean;
  url: string;
  url_callback?: string;
  url_return?: string;
  additional_data: string | null;
  expired_at: number;
  payer_amount: string | null;
  payer_currency: string | null;
  network: string | null;
  txid: string | null;
  created_at: string;
  updated_at: string;
}

export type HeleketValidation = { ok: true; invoice: EmuHeleketInvoice } | { ok: false; errors: Record<string, string[]> };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const urlOk = (v: unknown) => v === undefined || (typeof v === 'string' && v.length >= 6 && v.length <= 255);

/** `/v1/payment` parameters checked as heleket.md §2 lists them; `amount` must be a string. */
export function validateCreate(params: Record<string, unknown>, payUrl: (uuid: string) => string): HeleketValidation {
  const errors: Record<string, string[]> = {};
  const amount = str(params.amount);
  if (amount === undefined || !/^\d+(\.\d+)?$/.test(amount) || !/[1-9]/.test(amount))
    errors.amount = ['The amount field must be a string with a dot separator.'];
  const currency = str(params.currency);
  if (!currency || !/^[A-Z]{3,10}$/.test(currency)) errors.currency = ['The currency field is required.'];
  const orderId = str(params.order_id);
  if (!orderId || !/^[A-Za-z0-9_-]{1,128}$/.test(orderId))
    errors.order_id = ['The order id may only contain letters, numbers, dashes and underscores.'];
  for (const key of ['url_return', 'url_success', 'url_callback'])
    if (!urlOk(params[key])) errors[key] = [`The ${key} must be 6-255 characters.`];
  const lifetime = params.lifetime === undefined ? 3600 : Number(params.lifetime);
  if (!Number.isInteger(lifetime) || lifetime < 300 || lifetime > 43_200) errors.lifetime = ['The lifetime must be between 300 and 43200.'];
  const additional = params.additional_data;
  if (additional !== undefined && (typeof additional !== 'string' || additional.length > 255))
    errors.additional_data = ['The additional data may not be greater than 255 characters.'];
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const uuid = randomUUID();
  const now = new Date();
  return {
    ok: true,
    invoice: {
      uuid,
      order_id: orderId!,
      amount: amount!,
      currency: currency!,
      payment_status: 'check',
      is_final: false,
      url: payUrl(uuid),
      ...(str(params.url_callback) ? { url_callback: str(params.url_callback) } : {}),
      ...(str(params.url_return) ? { url_return: str(params.url_return) } : {}),
      additional_data: typeof additional === 'string' ? additional : null,
      expired_at: Math.floor(now.getTime() / 1000) + lifetime,
      payer_amount: null,
      payer_currency: null,
      network: null,
      txid: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    },
  };
}

/** The Cryptomus-style invoice object (heleket.md §2, UNVERIFIED exact shape). */
export function invoiceJson(i: EmuHeleketInvoice): Record<string, unknown> {
  return {
    uuid: i.uuid,
    order_id: i.order_id,
    amount: i.amount,
    payment_amount: i.payment_status === 'check' ? null : i.payer_amount,
    payer_amount: i.payer_amount,
    discount_percent: null,
    discount: '0.00000000',
    payer_currency: i.payer_currency,
    currency: i.currency,
    merchant_amount: null,
    network: i.network,
    address: i.network ? 'TXYZemulatorAddress0000000000000000' : null,
    from: null,
    txid: i.txid,
    payment_status: i.payment_status,
    url: i.url,
    expired_at: i.expired_at,
    status: i.payment_status,
    is_final: i.is_final,
    additional_data: i.additional_data,
    created_at: i.created_at,
    updated_at: i.updated_at,
  };
}

/** The webhook fields of heleket.md §4, without `sign`. */
export function webhookFields(i: EmuHeleketInvoice): Record<string, unknown> {
  return {
    type: 'payment',
    uuid: i.uuid,
    order_id: i.order_id,
    amount: i.amount,
    payment_amount: i.payer_amount,
    payment_amount_usd: i.payer_amount,
    merchant_amount: i.payer_amount,
    commission: '0.00',
    is_final: i.is_final,
    status: i.payment_status,
    from: null,
    wallet_address_uuid: null,
    network: i.network,
    currency: i.currency,
    payer_currency: i.payer_currency,
    additional_data: i.additional_data,
    convert: null,
    txid: i.txid,
  };
}
