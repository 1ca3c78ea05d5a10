import type Bull from 'bull';
import type { z } from 'zod';
import type { QueueContract } from './contract.js';
import { queues, type QueueKey } from './contracts/index.js';
import type { QueueFactory } from './factory.js';

/** Per-call overrides; `jobId` replaces the contract's natural key (e.g. `outbox:<row id>`). */
export type AddOptions = Pick<Bull.JobOptions, 'jobId' | 'delay' | 'priority' | 'attempts'>;

/** A typed producer: validates the payload against the contract, then adds it with the contract's defaults. */
export interface Producer<S extends z.ZodType> {
  readonly contract: QueueContract<S>;
  add(payload: z.input<S>, options?: AddOptions): Promise<Bull.Job<z.output<S>>>;
  /** Many jobs in one Redis round trip (a MULTI); each payload validated first, none added if one is bad. */
  addBulk(items: ReadonlyArray<{ payload: z.input<S>; options?: AddOptions }>): Promise<Array<Bull.Job<z.output<S>>>>;
}

/** Thrown when a producer is handed a payload its contract rejects: a programming error, never enqueued. */
export class InvalidPayloadError extends Error {
  constructor(
    readonly queue: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(`invalid ${queue} payload: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidPayloadError';
  }
}

/** Builds the producer of one contract. */
export function createProducer<S extends z.ZodType>(factory: QueueFactory, contract: QueueContract<S>): Producer<S> {
  const prepare = (payload: z.input<S>, options: AddOptions = {}) => {
    const parsed = contract.schema.safeParse(payload);
    if (!parsed.success) throw new InvalidPayloadError(contract.name, parsed.error.issues);
    const data = parsed.data;
    const jobId = options.jobId ?? contract.jobId?.(data);
    return { data, opts: { ...contract.defaults, ...options, ...(jobId === undefined ? {} : { jobId }) } };
  };
  return {
    contract,
    async add(payload, options) {
      const { data, opts } = prepare(payload, options);
      return factory.queue(contract).add(data, opts);
    },
    async addBulk(items) {
      const jobs = items.map((item) => prepare(item.payload, item.options));
      return jobs.length === 0 ? [] : factory.queue(contract).addBulk(jobs);
    },
  };
}

type ProducerOf<C> = C extends QueueContract<infer S> ? Producer<S> : never;

/** One typed producer per queue: `producers.settlement.add({ paymentEventId })`. */
export type Producers = { [K in QueueKey]: ProducerOf<(typeof queues)[K]> };

/** Builds every producer lazily on top of one factory (queues open on first `add`). */
export function createProducers(factory: QueueFactory): Producers {
  const out: Partial<Record<QueueKey, unknown>> = {};
  for (const key of Object.keys(queues) as QueueKey[]) out[key] = createProducer(factory, queues[key] as QueueContract);
  return out as Producers;
}
