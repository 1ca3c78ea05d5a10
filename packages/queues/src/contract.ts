import type { JobOptions } from 'bull';
import type { z } from 'zod';
import { capped } from './backoff.js';

/**
 * A queue's contract: its name, the zod schema of its payload, the job options every producer
 * starts from, and (where the payload has a natural key) the job id that makes a double enqueue
 * one job. Producers and processors import the contract, never each other.
 */
export interface QueueContract<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly schema: S;
  readonly defaults: JobOptions;
  /** A natural dedupe key; Bull ignores an `add` whose job id already exists (waiting, active, delayed or kept). */
  readonly jobId?: (payload: z.output<S>) => string | undefined;
}

/** The parsed payload type of a contract. */
export type PayloadOf<C> = C extends QueueContract<infer S> ? z.output<S> : never;
/** What a producer accepts (before zod transforms such as number → string ids). */
export type InputOf<C> = C extends QueueContract<infer S> ? z.input<S> : never;

/** Retries with capped exponential backoff (see backoff.ts); completed jobs kept briefly for inspection, failed ones longer. */
export const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: capped(1_000, 5 * 60_000),
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3_600, count: 5_000 },
};

/** Builds a contract with the default job options overridden by `defaults`. */
export function defineQueue<S extends z.ZodType>(spec: {
  name: string;
  schema: S;
  defaults?: JobOptions;
  jobId?: (payload: z.output<S>) => string | undefined;
}): QueueContract<S> {
  return {
    name: spec.name,
    schema: spec.schema,
    defaults: { ...DEFAULT_JOB_OPTIONS, ...spec.defaults },
    ...(spec.jobId ? { jobId: spec.jobId } : {}),
  };
}
