/**
 * @vpn/queues: queue contracts (name + zod payload schema + job defaults), typed producers, the
 * `consume` helper for processors, repeatable schedules and the one Bull factory on ioredis.
 */
export { PermanentJobError, capped, cappedBackoff, isPermanent, type CappedBackoffOptions } from './backoff.js';
export { DEFAULT_JOB_OPTIONS, defineQueue, type InputOf, type PayloadOf, type QueueContract } from './contract.js';
export * from './contracts/index.js';
export { consume, type ConsumeOptions, type Processor, type ProcessorContext } from './consume.js';
export { createQueueFactory, type QueueFactory, type QueueFactoryOptions } from './factory.js';
export { InvalidPayloadError, createProducer, createProducers, type AddOptions, type Producer, type Producers } from './producer.js';
export { schedule, unschedule, type ScheduleSpec } from './schedule.js';
export type { Job, Queue } from 'bull';
