import { z } from 'zod';

/**
 * The parts of YooKassa API v3 objects the adapter relies on (yookassa.md §4–§10). Unknown
 * fields are allowed and kept in `raw`; only what we act on is checked.
 */

export const yooAmountSchema = z.object({ value: z.string(), currency: z.string() });

export const yooPaymentStatusSchema = z.enum(['pending', 'waiting_for_capture', 'succeeded', 'canceled']);

export const yooPaymentSchema = z.object({
  id: z.string().min(1),
  status: yooPaymentStatusSchema,
  paid: z.boolean(),
  amount: yooAmountSchema,
  created_at: z.string(),
  captured_at: z.string().optional(),
  expires_at: z.string().optional(),
  description: z.string().optional(),
  confirmation: z.object({ type: z.string(), confirmation_url: z.string().optional(), return_url: z.string().optional() }).optional(),
  payment_method: z.object({ type: z.string(), id: z.string(), saved: z.boolean(), title: z.string().optional() }).optional(),
  refunded_amount: yooAmountSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  cancellation_details: z.object({ party: z.string(), reason: z.string() }).optional(),
  test: z.boolean().optional(),
  refundable: z.boolean().optional(),
});

export type YooPayment = z.output<typeof yooPaymentSchema>;

export const yooRefundSchema = z.object({
  id: z.string().min(1),
  payment_id: z.string().min(1),
  status: z.enum(['pending', 'succeeded', 'canceled']),
  amount: yooAmountSchema,
  created_at: z.string(),
  description: z.string().optional(),
  cancellation_details: z.object({ party: z.string(), reason: z.string() }).optional(),
});

export type YooRefund = z.output<typeof yooRefundSchema>;

export const yooErrorSchema = z.object({
  type: z.literal('error'),
  id: z.string().optional(),
  code: z.string(),
  description: z.string().optional(),
  parameter: z.string().optional(),
  retry_after: z.number().optional(),
});

/** The events this platform subscribes to; payout, deal and payment_method events are not used. */
export const yooPaymentEvents = ['payment.waiting_for_capture', 'payment.succeeded', 'payment.canceled'] as const;
export const yooEventSchema = z.enum([...yooPaymentEvents, 'refund.succeeded']);
export type YooEvent = z.output<typeof yooEventSchema>;

export const yooNotificationSchema = z.object({
  type: z.literal('notification'),
  event: yooEventSchema,
  object: z.object({ id: z.string().min(1) }).loose(),
});

/** Idempotence-Key: 1–64 characters of `[0-9a-zA-Z+-_.]` (yookassa.md §2). */
export const IDEMPOTENCE_KEY = /^[0-9a-zA-Z+\-_.]{1,64}$/;
