import { z } from 'zod';

/** Heleket's statuses (heleket.md §3; `process`/`check` seen in payment info only, UNVERIFIED). */
export const HELEKET_STATUSES = [
  'confirm_check',
  'check',
  'process',
  'paid',
  'paid_over',
  'fail',
  'wrong_amount',
  'cancel',
  'system_fail',
  'refund_process',
  'refund_fail',
  'refund_paid',
  'locked',
] as const;

const text = z.union([z.string(), z.number()]).transform(String);
const optionalText = z.union([z.string(), z.number(), z.null()]).optional();

/**
 * The invoice fields the adapter uses (heleket.md §2, response shape UNVERIFIED: Cryptomus').
 * Unknown statuses are kept as text and read as pending, so a new one never breaks a poll.
 */
export const heleketInvoiceSchema = z.object({
  uuid: z.string().min(1),
  order_id: text,
  amount: text,
  currency: z.string().min(1),
  payment_status: z.string().optional().nullable(),
  status: z.string().optional().nullable(),
  url: z.string().optional().nullable(),
  expired_at: z.union([z.number(), z.string(), z.null()]).optional(),
  is_final: z.union([z.boolean(), z.number(), z.null()]).optional(),
  payer_amount: optionalText,
  payer_currency: optionalText,
  updated_at: optionalText,
});
export type HeleketInvoice = z.output<typeof heleketInvoiceSchema>;

/** `{state: 0, result}`; errors `state` ≠ 0 with `message`/`errors` (heleket.md §2, UNVERIFIED). */
export const heleketEnvelopeSchema = z.object({
  state: z.number().optional(),
  result: z.unknown().optional(),
  message: z.string().optional(),
  errors: z.unknown().optional(),
});

/** The webhook (heleket.md §4): the fields we act on; the rest is kept raw. */
export const heleketWebhookSchema = z.object({
  type: z.string(),
  uuid: z.string().min(1),
  order_id: text,
  status: z.string(),
  amount: optionalText,
  currency: optionalText,
  is_final: z.union([z.boolean(), z.number(), z.null()]).optional(),
  sign: z.string(),
});
