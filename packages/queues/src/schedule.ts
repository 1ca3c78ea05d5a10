import type Bull from 'bull';
import type { z } from 'zod';
import type { QueueContract } from './contract.js';
import type { QueueFactory } from './factory.js';

export interface ScheduleSpec {
  /** Fixed id: N replicas registering the same schedule make ONE repeatable job (Bull keys it by name, id and timing). */
  id: string;
  /** Either a cron expression (UTC unless `tz`)... */
  cron?: string;
  tz?: string;
  /** ...or a period in milliseconds. */
  every?: number;
}

/**
 * Registers a repeatable job. Bull derives the repeat key from the job name, the fixed `jobId`
 * and the timing, so calling this from every worker replica at start-up is safe: one schedule,
 * one job per tick. Schedules whose timing changed are removed so an old cadence does not linger.
 */
export async function schedule<S extends z.ZodType>(
  factory: QueueFactory,
  contract: QueueContract<S>,
  payload: z.input<S>,
  spec: ScheduleSpec,
): Promise<void> {
  const data = contract.schema.parse(payload);
  const queue = factory.queue(contract);
  const every = spec.every ?? 60_000;
  const repeat = (spec.cron !== undefined ? { cron: spec.cron, ...(spec.tz ? { tz: spec.tz } : {}) } : { every }) as
    Bull.CronRepeatOptions | Bull.EveryRepeatOptions;
  const existing = await queue.getRepeatableJobs();
  for (const job of existing) {
    const same = job.id === spec.id && (spec.cron !== undefined ? job.cron === spec.cron : Number(job.every) === every);
    if (job.id === spec.id && !same) await queue.removeRepeatableByKey(job.key);
  }
  await queue.add(data, { repeat, jobId: spec.id, removeOnComplete: true, removeOnFail: { count: 50 } });
}

/**
 * Removes a repeatable job registered by {@link schedule} under `id`, whatever its timing: a
 * schedule switched off in the config stops at the next start instead of ticking on unserved.
 */
export async function unschedule<S extends z.ZodType>(factory: QueueFactory, contract: QueueContract<S>, id: string): Promise<void> {
  const queue = factory.queue(contract);
  for (const job of await queue.getRepeatableJobs()) if (job.id === id) await queue.removeRepeatableByKey(job.key);
}
