import { z } from 'zod';
import { capped } from '../backoff.js';
import { defineQueue } from '../contract.js';
import { entityId, tickSchema } from './ids.schema.js';

/**
 * `settlement`: a stored payment event (payment_events row) to settle. One job per event row, so a
 * notification enqueued twice (webhook retry, poll) is one job while it is kept.
 */
export const settlementQueue = defineQueue({
  name: 'settlement',
  schema: z.object({ paymentEventId: entityId }).strict(),
  defaults: { attempts: 12, backoff: capped(500, 10 * 60_000) },
  jobId: (p) => `settle:${p.paymentEventId}`,
});

/**
 * `outbox-dispatch`: claim undispatched outbox rows and turn them into jobs. Scheduled every few
 * seconds and also kicked right after a settlement so provisioning starts without waiting.
 */
export const outboxDispatchQueue = defineQueue({
  name: 'outbox-dispatch',
  schema: tickSchema,
  defaults: { attempts: 3, removeOnComplete: true, removeOnFail: { count: 100 } },
});

/**
 * `payment-poll`: the webhook fallback. `sweep` finds payments still pending after N minutes and
 * fans out one `payment` job each; `payment` reads one payment from its provider.
 */
export const paymentPollQueue = defineQueue({
  name: 'payment-poll',
  schema: z.discriminatedUnion('scope', [
    z
      .object({
        scope: z.literal('sweep'),
        olderThanMinutes: z
          .number()
          .int()
          .positive()
          .max(7 * 24 * 60)
          .optional(),
      })
      .strict(),
    z.object({ scope: z.literal('payment'), paymentId: entityId }).strict(),
  ]),
  // A failed poll is removed too: a kept failed job would hold its id and block every later poll of that payment.
  defaults: { attempts: 3, removeOnComplete: true, removeOnFail: true },
  // One poll per payment at a time; once it completes (removed), the next sweep may poll it again.
  jobId: (p) => (p.scope === 'payment' ? `poll:${p.paymentId}` : undefined),
});

/** `reconcile-payments`: compare a day of our payments with the providers' view (daily). */
export const reconcilePaymentsQueue = defineQueue({
  name: 'reconcile-payments',
  schema: z
    .object({
      /** The UTC day to reconcile, `YYYY-MM-DD`; the scheduler sends none and means "yesterday and today". */
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
    })
    .strict(),
  defaults: { attempts: 3, backoff: capped(60_000, 30 * 60_000) },
});
