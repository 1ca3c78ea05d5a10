import { z } from 'zod';
import { defineQueue } from '../contract.js';
import { entityId, tickSchema } from './ids.schema.js';

/**
 * `server-health`: probe the panels (log in, refuse an unsupported version, read health and
 * nodes) and record each server's status, so placement takes the healthiest and skips the down.
 * One server, or every active one. A tick that fails is not retried: the next one comes soon.
 */
export const serverHealthQueue = defineQueue({
  name: 'server-health',
  schema: tickSchema.extend({ serverId: entityId.optional() }).strict(),
  defaults: { attempts: 1, removeOnComplete: true },
});

/**
 * `vpn-reconcile`: compare every panel with the database (a dry-run report, logged and written to
 * the audit log), then repair what is safe to repair — accounts missing or differing, running
 * subscriptions without an account. Panel users we do not know are only reported unless the
 * orphan policy says otherwise (`disable` or `delete`). The policy comes from the worker's
 * config; `orphans` overrides it for one run (a repeatable job keeps its first payload, so the
 * schedule carries none and a changed config takes effect at the next run).
 */
export const vpnReconcileQueue = defineQueue({
  name: 'vpn-reconcile',
  schema: tickSchema
    .extend({
      repair: z.boolean().default(true),
      orphans: z.enum(['report', 'disable', 'delete']).optional(),
      serverId: entityId.optional(),
    })
    .strict(),
  defaults: { attempts: 2, removeOnComplete: true },
});

/**
 * What the `doctor` job answers (its return value): the customer's panel account checked live.
 * `restoring`: it was missing, different or unusable, and the provisioning job that re-ensures it
 * is queued; `unreachable`: the panel did not answer in time (the server's problem); `stale`: the
 * job waited longer than anyone waits for its answer, so the panel was not asked.
 */
export const DOCTOR_VERDICTS = ['ok', 'restoring', 'unreachable', 'no_account', 'stale'] as const;
export type DoctorVerdict = (typeof DOCTOR_VERDICTS)[number];
export interface DoctorAnswer {
  verdict: DoctorVerdict;
}

/**
 * `doctor`: the client bot's "VPN doesn't work" asks the worker (the only process that talks to
 * panels) to read the customer's account from its panel with a short timeout, and waits a few
 * seconds for the answer (`job.finished()`). One attempt: an answer that comes late is useless.
 */
export const doctorQueue = defineQueue({
  name: 'doctor',
  schema: z.object({ subscriptionId: entityId, requestedAt: z.string().datetime() }).strict(),
  defaults: { attempts: 1, removeOnComplete: { age: 600, count: 1_000 }, removeOnFail: { age: 3_600, count: 1_000 } },
});
