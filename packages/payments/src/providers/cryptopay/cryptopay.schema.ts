import { z } from 'zod';

/** The Invoice fields the adapter uses (cryptopay.md §5); the rest stays in `raw`. */
export const cryptoInvoiceSchema = z.object({
  invoice_id: z.number().int(),
  hash: z.string().optional(),
  currency_type: z.enum(['crypto', 'fiat']),
  asset: z.string().optional(),
  fiat: z.string().optional(),
  amount: z.string(),
  paid_asset: z.string().optional(),
  paid_amount: z.string().optional(),
  bot_invoice_url: z.string().optional(),
  mini_app_invoice_url: z.string().optional(),
  web_app_invoice_url: z.string().optional(),
  status: z.enum(['active', 'paid', 'expired']),
  created_at: z.string(),
  expiration_date: z.string().optional(),
  paid_at: z.string().optional(),
  payload: z.string().optional(),
});

export type CryptoInvoice = z.output<typeof cryptoInvoiceSchema>;

/** `{ok: true, result}` or `{ok: false, error: {code, name}}` (cryptopay.md §2). */
export const cryptoEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.number(), name: z.string() }) }),
]);

/** getInvoices: the live API answers `{items: [...]}`; the docs say a bare array — accept both. */
export const cryptoInvoiceListSchema = z.union([z.object({ items: z.array(z.unknown()) }), z.array(z.unknown())]);

/** The webhook Update (cryptopay.md §6); `invoice_paid` is the only type. */
export const cryptoUpdateSchema = z.object({
  update_id: z.number().int(),
  update_type: z.literal('invoice_paid'),
  request_date: z.string(),
  payload: z.unknown(),
});

/** Fiat currencies Crypto Pay invoices can be priced in (cryptopay.md §3). */
export const CRYPTOPAY_FIATS = new Set([
  'USD',
  'EUR',
  'RUB',
  'BYN',
  'UAH',
  'GBP',
  'CNY',
  'KZT',
  'UZS',
  'GEL',
  'TRY',
  'AMD',
  'THB',
  'INR',
  'BRL',
  'IDR',
  'AZN',
  'AED',
  'PLN',
  'ILS',
]);
