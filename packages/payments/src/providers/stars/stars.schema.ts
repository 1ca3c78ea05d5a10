import { z } from 'zod';

/** Telegram objects of a Stars payment (telegram-stars.md §4), as the client bot receives them. */

const paymentFields = {
  currency: z.string(),
  total_amount: z.number().int().positive(),
  invoice_payload: z.string().min(1),
  telegram_payment_charge_id: z.string().min(1),
  provider_payment_charge_id: z.string().optional(),
};

export const refundedPaymentSchema = z.object(paymentFields);

export const successfulPaymentSchema = z.object({
  ...paymentFields,
  subscription_expiration_date: z.number().int().optional(),
  is_recurring: z.boolean().optional(),
  is_first_recurring: z.boolean().optional(),
});

/** A Message carrying `successful_payment` or `refunded_payment`. */
export const paymentMessageSchema = z
  .object({
    message_id: z.number().int(),
    date: z.number().int(),
    chat: z.object({ id: z.number().int() }),
    from: z.object({ id: z.number().int() }).optional(),
    successful_payment: successfulPaymentSchema.optional(),
    refunded_payment: refundedPaymentSchema.optional(),
  })
  .refine(
    (m) => (m.successful_payment === undefined) !== (m.refunded_payment === undefined),
    'must carry exactly one of successful_payment and refunded_payment',
  );

export type StarsPaymentMessage = z.output<typeof paymentMessageSchema>;

/** The fields of a `pre_checkout_query` the validation needs. */
export interface PreCheckoutQueryLike {
  currency: string;
  total_amount: number;
  invoice_payload: string;
  from?: { id: number };
}

/** The StarTransaction fields used to find a payment (telegram-stars.md §5). */
export interface StarTransactionLike {
  id: string;
  amount: number;
  date: number;
  source?: unknown;
  receiver?: unknown;
}
