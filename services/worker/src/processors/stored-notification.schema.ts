import { PROVIDER_NAMES } from '@vpn/payments';
import { z } from 'zod';

/**
 * The normalised notification the webhooks service keeps in `payment_events.raw_payload.notification`
 * (see services/webhooks `toStoredPayload`); polls store the same shape. Parsed, never trusted blindly.
 */
export const storedNotificationSchema = z.object({
  provider: z.enum(PROVIDER_NAMES),
  eventId: z.string().min(1),
  externalId: z.string().min(1),
  paymentId: z.string().optional(),
  status: z.enum(['pending', 'succeeded', 'failed', 'cancelled', 'refunded']),
  amountMinor: z.number().int().nonnegative(),
  currency: z.string().min(1),
  occurredAt: z.string(),
  savedPaymentMethodId: z.string().optional(),
  failureReason: z.string().optional(),
  refund: z.object({ refundId: z.string(), amountMinor: z.number().int(), status: z.enum(['succeeded', 'failed']) }).optional(),
});

export type StoredNotification = z.output<typeof storedNotificationSchema>;

export const storedPayloadSchema = z.object({ notification: storedNotificationSchema, raw: z.unknown() });
