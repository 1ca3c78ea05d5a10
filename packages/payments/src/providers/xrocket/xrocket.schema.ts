import { z } from 'zod';

const id = z.union([z.string(), z.number()]).transform(String);
const num = z.union([z.number(), z.string()]).nullable().optional();

/** PayInvoiceStatDto (xrocket-pay.md §4.6); nulls accepted (the vendor's own e2e test sees them, §8.3). */
export const xrocketPaymentSchema = z.object({
  userId: z.union([z.number(), z.string()]).nullable().optional(),
  paymentAmount: num,
  paymentAmountReceived: num,
  paid: z.string().nullable().optional(),
});

/** InvoiceDto / FullInvoiceDto, parsed leniently: string ids, 0/1 booleans and nulls (§8.3). */
export const xrocketInvoiceSchema = z.object({
  id,
  amount: num,
  currency: z.string(),
  status: z.string(),
  payload: z.string().nullable().optional(),
  link: z.string().nullable().optional(),
  created: z.string().nullable().optional(),
  paid: z.string().nullable().optional(),
  expiredIn: z.union([z.number(), z.string()]).nullable().optional(),
  payments: z.array(xrocketPaymentSchema).nullable().optional(),
  payment: xrocketPaymentSchema.nullable().optional(),
});
export type XRocketInvoice = z.output<typeof xrocketInvoiceSchema>;

/** `{success, data}` or `{success: false, message, errors?}` (§2). */
export const xrocketEnvelopeSchema = z.object({
  success: z.union([z.boolean(), z.number()]),
  data: z.unknown().optional(),
  message: z.string().optional(),
});

/** The webhook (§5): `invoicePay` is the only type we act on. */
export const xrocketWebhookSchema = z.object({
  type: z.string(),
  timestamp: z.string().optional(),
  data: z.unknown(),
});
