import { z } from 'zod';
import { capped } from '../backoff.js';
import { defineQueue } from '../contract.js';
import { entityId, tickSchema } from './ids.schema.js';

/**
 * `provisioning`: make the panel match a subscription (create, extend, disable). Retried with a
 * capped exponential backoff for about a day, because a panel that is down must not lose a
 * customer. `version` identifies the change (outbox row id or subscription version): a new change
 * is a new job, a repeat of the same change is not.
 */
export const provisioningQueue = defineQueue({
  name: 'provisioning',
  schema: z
    .object({
      subscriptionId: entityId,
      version: z
        .union([z.string().min(1).max(64), z.number().int().nonnegative()])
        .transform(String)
        .optional(),
      /**
       * Why (billing's ProvisionReason: trial, purchase, renewal, referral_bonus, refund, expire,
       * suspend, resume, cancel; or the worker's own `reconcile`): for logs, and to decide whether
       * the customer is sent the config when access first works.
       */
      reason: z
        .string()
        .regex(/^[a-z_]{1,32}$/)
        .default('changed'),
    })
    .strict(),
  defaults: { attempts: 60, backoff: capped(2_000, 30 * 60_000) },
  jobId: (p) => (p.version === undefined ? undefined : `provision:${p.subscriptionId}:${p.version}`),
});

/** `reminders`: a sweep that sends the 3/2/1-day and on-expiry reminders, each once. */
export const remindersQueue = defineQueue({ name: 'reminders', schema: tickSchema, defaults: { attempts: 3, removeOnComplete: true } });

/** `expiry-sweep`: marks ended subscriptions expired and enqueues provisioning to disable them. */
export const expirySweepQueue = defineQueue({
  name: 'expiry-sweep',
  schema: tickSchema,
  defaults: { attempts: 3, removeOnComplete: true },
});

/**
 * `auto-renew`: `sweep` asks billing which subscriptions are due and fans out one `attempt` each;
 * an attempt charges the saved method once (the job id includes the attempt number, and the
 * provider gets an idempotency key), then records the outcome.
 */
export const autoRenewQueue = defineQueue({
  name: 'auto-renew',
  schema: z.discriminatedUnion('scope', [
    tickSchema.extend({ scope: z.literal('sweep') }).strict(),
    z
      .object({
        scope: z.literal('attempt'),
        subscriptionId: entityId,
        attempt: z.number().int().min(1).max(10),
        dueAt: z.string().datetime(),
        /** The retry time the attempt was scheduled for, if any: a retry after a provider failure is a job of its own. */
        retryAt: z.string().datetime().optional(),
      })
      .strict(),
  ]),
  defaults: { attempts: 3, backoff: capped(30_000, 10 * 60_000) },
  jobId: (p) =>
    p.scope === 'attempt' ? `renew:${p.subscriptionId}:${p.dueAt}:${p.attempt}${p.retryAt ? `:${p.retryAt}` : ''}` : undefined,
});

/** `usage-sync`: copy traffic usage from the panels into usage_snapshots (all servers, or one). */
export const usageSyncQueue = defineQueue({
  name: 'usage-sync',
  schema: tickSchema.extend({ serverId: entityId.optional() }).strict(),
  defaults: { attempts: 2, removeOnComplete: true },
});
