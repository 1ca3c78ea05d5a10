import { metrics, onScrape } from '@vpn/metrics';
import type Bull from 'bull';
import { lazyChild, type Logger } from '@vpn/logger';
import type { z } from 'zod';
import { isPermanent } from './backoff.js';
import type { QueueContract } from './contract.js';
import type { QueueFactory } from './factory.js';

/** What a processor receives besides its parsed payload. */
export interface ProcessorContext {
  job: Bull.Job;
  /** A child logger carrying the queue name, job id and attempt. */
  log: Logger;
}

export type Processor<P, R = unknown> = (payload: P, ctx: ProcessorContext) => Promise<R>;

export interface ConsumeOptions {
  logger: Logger;
  /** Jobs of this queue run at once in this process. */
  concurrency?: number;
}

/**
 * Runs `processor` for every job of `contract`'s queue. The payload is validated with the
 * contract's zod schema first: a bad payload fails the job permanently (logged once, never retried),
 * and so does an error that says it is permanent (`retryable === false`). Anything else is retried
 * with the contract's backoff; the last failed attempt is logged at error level.
 */
export function consume<S extends z.ZodType, R>(
  factory: QueueFactory,
  contract: QueueContract<S>,
  processor: Processor<z.output<S>, R>,
  options: ConsumeOptions,
): Bull.Queue {
  const queue = factory.queue(contract);
  const base = options.logger.child({ queue: contract.name });
  const running = queue.process(options.concurrency ?? 1, async (job: Bull.Job) => {
    // Made on first use (see lazyChild): a job that logs nothing pays nothing for its logger.
    const log = lazyChild(base, () => ({ jobId: job.id, attempt: job.attemptsMade + 1 }));
    const parsed = contract.schema.safeParse(job.data);
    if (!parsed.success) {
      await job.discard();
      log.error({ issues: parsed.error.issues }, 'invalid payload; failing the job without retry');
      throw new Error(`invalid ${contract.name} payload`);
    }
    const queue = contract.name;
    const started = Date.now();
    // Due = added, or its delay over; a retry is due when its backoff ends (Bull keeps no such
    // time, so the latency is measured for first attempts only).
    if (job.attemptsMade === 0)
      metrics.queueJobLatency.observe({ queue }, Math.max(0, started - job.timestamp - (job.opts.delay ?? 0)) / 1e3);
    try {
      const result = await processor(parsed.data, { job, log });
      metrics.queueJobs.inc({ queue, outcome: 'completed' });
      return result;
    } catch (err) {
      const permanent = isPermanent(err);
      if (permanent) await job.discard();
      const last = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      metrics.queueJobs.inc({ queue, outcome: last ? 'failed' : 'retried' });
      if (last) log.error({ err }, permanent ? 'job failed permanently' : 'job failed; attempts exhausted');
      else log.warn({ err: err instanceof Error ? err.message : String(err) }, 'job failed; will retry');
      throw err;
    } finally {
      metrics.queueJobDuration.observe({ queue }, (Date.now() - started) / 1e3);
    }
  });
  // Depth by state, read from Redis at each scrape (every replica reports the same: dashboards take the max).
  onScrape(`queue:${contract.name}`, async () => {
    const counts = await queue.getJobCounts();
    for (const state of ['waiting', 'active', 'delayed', 'failed'] as const)
      metrics.queueDepth.set({ queue: contract.name, state }, counts[state]);
  });
  // Resolves when the queue closes; rejects only when Bull itself cannot start (Redis gone).
  running.catch((err: unknown) => base.error({ err }, 'queue processing stopped'));
  return queue;
}
