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

/** Several walks of one sweep (one per day, say), each with its cursor, and which are unfinished. */
export interface KeyedSweepCursors<C> {
  read(key: string): Promise<C | undefined>;
  /** Undefined: that walk is finished and forgotten. */
  write(key: string, cursor: C | undefined): Promise<void>;
  /** The walks with a cursor: started, not finished. */
  unfinished(): Promise<string[]>;
}

type Queues = Pick<QueueFactory, 'redis' | 'prefix'>;

/** Cursor fields that are dates are stored as ISO strings (JSON) and read back as dates. */
function codec<C extends object>(dateFields: ReadonlyArray<keyof C>) {
  return {
    decode: (raw: string | null): C | undefined => {
      if (!raw) return undefined;
      const cursor = JSON.parse(raw) as Record<keyof C, unknown>;
      for (const field of dateFields) cursor[field] = new Date(cursor[field] as string);
      return cursor as C;
    },
    encode: (cursor: C) => JSON.stringify(cursor),
  };
}

export function sweepCursor<C extends object>(queues: Queues, name: string, dateFields: ReadonlyArray<keyof C> = []): SweepCursor<C> {
  const key = `${queues.prefix}:sweep-cursor:${name}`;
  const { decode, encode } = codec<C>(dateFields);
  return {
    read: async () => decode(await queues.redis.get(key)),
    async write(cursor) {
      if (cursor === undefined) await queues.redis.del(key);
      else await queues.redis.set(key, encode(cursor));
    },
  };
}

export function keyedSweepCursors<C extends object>(
  queues: Queues,
  name: string,
  dateFields: ReadonlyArray<keyof C> = [],
): KeyedSweepCursors<C> {
  const hash = `${queues.prefix}:sweep-cursors:${name}`;
  const { decode, encode } = codec<C>(dateFields);
  return {
    read: async (key) => decode(await queues.redis.hget(hash, key)),
    async write(key, cursor) {
      if (cursor === undefined) await queues.redis.hdel(hash, key);
      else await queues.redis.hset(hash, key, encode(cursor));
    },
    unfinished: () => queues.redis.hkeys(hash),
  };
}
