import { z } from 'zod';

const id = z.union([z.string(), z.number()]).transform(String);

/** `{status: true, msg, data}` / `{status: false, msg}` (severpay.md §3). */
export const severpayEnvelopeSchema = z.object({
  status: z.union([z.boolean(), z.number()]),
  msg: z.string().optional().nullable(),
  data: z.unknown().optional(),
});

/** `payin/create` data (severpay.md §4.1). */
export const severpayCreatedSchema = z.object({
  id,
  url: z.string(),
  expire_at: z.union([z.number(), z.string()]).optional().nullable(),
  uid: z.string().optional().nullable(),
});

/** `payin/get` data (severpay.md §4.2), also the `data` of a `payin` webhook (§6, no `uid`). */
export const severpayPaymentSchema = z.object({
  id,
  uid: z.string().optional().nullable(),
  order_id: id,
  amount: z.union([z.number(), z.string()]),
  currency: z.string(),
  status: z.string(),
});
export type SeverpayPayment = z.output<typeof severpayPaymentSchema>;

export const severpayWebhookSchema = z.object({ type: z.string(), data: z.unknown(), salt: z.unknown().optional() });
