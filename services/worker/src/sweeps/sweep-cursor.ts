import type { QueueFactory } from '@vpn/queues';

/**
 * Where a sweep stopped, carried to its next run: a sweep reads a bounded batch per run after its
 * cursor and starts again from the beginning after the last batch, so whatever sits at the head of
 * its candidates (items it cannot handle yet) never keeps it from the rest. Kept in Redis under the
 * queues' prefix, one key per sweep: a lost cursor only makes the next run start from the beginning.
 */
export interface SweepCursor<C> {
  read(): Promise<C | undefined>;
  /** The last item handled, or undefined when the walk reached the end (the next run starts over). */
  write(cursor: C | undefined): Promise<void>;
}

/** Cursor fields that are dates are stored as ISO strings and read back as dates. */
type Stored<C> = { [K in keyof C]: C[K] extends Date ? string : C[K] };

export function sweepCursor<C extends object>(
  queues: Pick<QueueFactory, 'redis' | 'prefix'>,
  name: string,
  dateFields: ReadonlyArray<keyof C> = [],
): SweepCursor<C> {
  const key = `${queues.prefix}:sweep-cursor:${name}`;
  return {
    async read() {
      const raw = await queues.redis.get(key);
      if (!raw) return undefined;
      const stored = JSON.parse(raw) as Stored<C>;
      const cursor = { ...stored } as Record<keyof C, unknown>;
      for (const field of dateFields) cursor[field] = new Date(stored[field] as string);
      return cursor as C;
    },
    async write(cursor) {
      if (cursor === undefined) await queues.redis.del(key);
      else await queues.redis.set(key, JSON.stringify(cursor));
    },
  };
}
