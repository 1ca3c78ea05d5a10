import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createQueueFactory, type QueueFactory, type QueueFactoryOptions } from '../factory.js';

/** A factory on its own random prefix, plus the means to wipe it. */
export interface TestQueueFactory extends QueueFactory {
  /** Closes every queue and deletes every key under the prefix. */
  cleanup(): Promise<void>;
}

/** A random key prefix for one test file (`t_<hex>`), so parallel files never share a queue. */
export function testQueuePrefix(label = 't'): string {
  return `${label}_${randomBytes(5).toString('hex')}`;
}

/**
 * A queue factory for a test file: a unique prefix, tiny backoffs, and a `cleanup()` for `afterAll`
 * that closes the queues and removes every key the file created (repeatable schedules included).
 */
export function createTestQueueFactory(redisUrl: string, options: Partial<QueueFactoryOptions> = {}): TestQueueFactory {
  const prefix = options.prefix ?? testQueuePrefix();
  const factory = createQueueFactory({ redisUrl, prefix, backoffScale: 0.01, ...options });
  return Object.assign(factory, {
    async cleanup(): Promise<void> {
      await factory.close(true);
      await deleteKeys(redisUrl, prefix);
    },
  });
}

/** Deletes every Redis key under `<prefix>:`. */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
