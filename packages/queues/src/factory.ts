import Bull from 'bull';
import { Redis, type RedisOptions } from 'ioredis';
import { cappedBackoff } from './backoff.js';
import type { QueueContract } from './contract.js';
import type { z } from 'zod';

export interface QueueFactoryOptions {
  redisUrl: string;
  /** Redis key prefix: one per environment, one per test file (`t_<random>`), so nothing collides. */
  prefix: string;
  /** Multiplies every retry delay; tests use a small value so backoff ladders run in milliseconds. */
  backoffScale?: number;
  /** How often Bull looks for jobs whose worker died (lock expired); lower in tests that SIGKILL a worker. */
  stalledIntervalMs?: number;
  /** How long a job's lock lives without renewal; a killed worker's job is taken over after this. */
  lockDurationMs?: number;
}

/** The Bull queues of one process, built on a shared pair of ioredis connections. */
export interface QueueFactory {
  readonly prefix: string;
  /** The Bull queue of a contract; memoised, so every caller in the process shares one instance. */
  queue<S extends z.ZodType>(contract: QueueContract<S>): Bull.Queue<z.output<S>>;
  /** Every queue opened so far. */
  opened(): Bull.Queue[];
  /** The shared command connection (health checks, `PING`). */
  readonly redis: Redis;
  /** Closes every queue (waiting for active jobs unless `force`), then every connection. Idempotent. */
  close(force?: boolean): Promise<void>;
}

/**
 * One Bull factory on ioredis. Following Bull's "reusing Redis connections" pattern, every queue
 * shares one `client` and one `subscriber` connection; each queue gets its own `bclient`, because
 * a blocking `BRPOPLPUSH` holds its connection. Nothing connects until a queue
 * (or `redis`) is first used.
 */
export function createQueueFactory(options: QueueFactoryOptions): QueueFactory {
  // Bull refuses blocking/subscriber clients with a ready check or a per-request retry limit.
  const base: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: false };
  const connections: Redis[] = [];
  const shared: Partial<Record<'client' | 'subscriber', Redis>> = {};
  const queues = new Map<string, Bull.Queue>();
  let closing: Promise<void> | undefined;

  const connect = (role: string): Redis => {
    const connection = new Redis(options.redisUrl, { ...base, connectionName: `${options.prefix}:${role}` });
    // Every queue adds its own `error`/`ready` listeners on the shared client and subscriber; a
    // worker serving a dozen queues is expected, not a leak (Node warns past 10 by default).
    connection.setMaxListeners(64);
    connections.push(connection);
    return connection;
  };
  const createClient = (type: 'client' | 'subscriber' | 'bclient'): Redis =>
    type === 'bclient' ? connect(type) : (shared[type] ??= connect(type));

  return {
    prefix: options.prefix,
    get redis(): Redis {
      return createClient('client');
    },
    queue<S extends z.ZodType>(contract: QueueContract<S>): Bull.Queue<z.output<S>> {
      if (closing) throw new Error(`queue factory is closed; cannot open ${contract.name}`);
      let queue = queues.get(contract.name);
      if (!queue) {
        queue = new Bull(contract.name, {
          prefix: options.prefix,
          createClient,
          defaultJobOptions: contract.defaults,
          settings: {
            backoffStrategies: { capped: cappedBackoff(options.backoffScale) },
            // A job whose worker was killed mid-way is run again; a few crashes in a row must not fail it.
            maxStalledCount: 5,
            ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
            ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
          },
        });
        queues.set(contract.name, queue);
      }
      return queue as Bull.Queue<z.output<S>>;
    },
    opened: () => [...queues.values()],
    close(force = false): Promise<void> {
      closing ??= (async () => {
        await Promise.allSettled([...queues.values()].map((q) => q.close(force)));
        // Bull does not close connections it did not create: we own them.
        await Promise.allSettled(connections.map((c) => quit(c)));
      })();
      return closing;
    },
  };
}

async function quit(connection: Redis): Promise<void> {
  if (connection.status === 'end' || connection.status === 'wait') {
    connection.disconnect();
    return;
  }
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
