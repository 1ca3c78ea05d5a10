import { z } from 'zod';

/** WATA H2H objects (wata.md §4–§6); only the fields the adapter acts on are checked. */

export const wataLinkSchema = z.object({
  id: z.string().min(1),
  amount: z.number(),
  currency: z.string(),
  status: z.enum(['Opened', 'Closed']),
  url: z.string(),
  orderId: z.string().nullish(),
  expirationDateTime: z.string().nullish(),
});
export type WataLink = z.output<typeof wataLinkSchema>;

export const wataLinkListSchema = z.object({ items: z.array(wataLinkSchema), totalCount: z.number().optional() });

export const wataTransactionSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['Payment', 'Refund']),
  amount: z.number(),
  currency: z.string(),
  status: z.enum(['Created', 'Pending', 'Paid', 'Declined']),
  errorCode: z.string().nullish(),
  orderId: z.string().nullish(),
  paymentTime: z.string().nullish(),
  creationTime: z.string().nullish(),
  originalTransactionId: z.string().nullish(),
});
export type WataTransaction = z.output<typeof wataTransactionSchema>;

export const wataTransactionListSchema = z.object({ items: z.array(wataTransactionSchema), hasNextPage: z.boolean().optional() });

export const wataRefundResultSchema = z.object({
  transactionId: z.string().min(1),
  transactionStatus: z.enum(['Created', 'Pending', 'Paid', 'Declined']),
  errorCode: z.string().nullish(),
});

export const wataErrorSchema = z.object({
  error: z.object({ code: z.string().nullish(), message: z.string().nullish(), details: z.string().nullish() }),
});

export const wataWebhookSchema = z.object({
  transactionId: z.string().min(1),
  kind: z.enum(['Payment', 'Refund']),
  transactionStatus: z.enum(['Created', 'Pending', 'Paid', 'Declined']),
  errorCode: z.string().nullish(),
  amount: z.number(),
  currency: z.string(),
  orderId: z.string().min(1),
  paymentTime: z.string().nullish(),
  originalTransactionId: z.string().nullish(),
});
export type WataWebhook = z.output<typeof wataWebhookSchema>;

export const wataPublicKeySchema = z.object({ value: z.string().includes('PUBLIC KEY') });

/** Currencies WATA links accept (wata.md §3). */
export const WATA_CURRENCIES = new Set(['RUB', 'EUR', 'USD']);
