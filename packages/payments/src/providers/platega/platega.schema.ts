import { z } from 'zod';

const id = z.union([z.string(), z.number()]).transform(String);
const money = z.union([z.number(), z.string()]);

/** `POST /transaction/process` answer (platega.md §2, UNVERIFIED). */
export const plategaCreatedSchema = z.object({
  transactionId: id,
  redirect: z.string().optional().nullable(),
  status: z.string().optional().nullable(),
  expiresIn: z.string().optional().nullable(),
});

/** `GET /transaction/{id}` (platega.md §3, UNVERIFIED); `paymentDetails` may also be a "299 RUB" text. */
export const plategaTransactionSchema = z.object({
  id: id,
  status: z.string(),
  paymentDetails: z.union([z.object({ amount: money, currency: z.string() }), z.string()]),
  payload: z.string().optional().nullable(),
  paymentMethod: z.unknown().optional(),
});
export type PlategaTransaction = z.output<typeof plategaTransactionSchema>;

/** The callback body (platega.md §4, UNVERIFIED). */
export const plategaCallbackSchema = z.object({
  id: id,
  amount: money.optional(),
  currency: z.string().optional(),
  status: z.string(),
  payload: z.string().optional().nullable(),
});
