import pg from 'pg';

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

/**
 * int8 → JS number. Telegram ids and byte counters fit in 2^53; a value that does not is a bug
 * we want to hear about, not a silently rounded id. pg catches parser errors and fails the query.
 */
export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
}

const parseInt8Array = (value: string): number[] =>
  (
    pg.types.arrayParser as unknown as {
      create(v: string, p: (s: string) => unknown): { parse(): number[] };
    }
  )
    .create(value, parseInt8)
    .parse();

/**
 * A pg "module" for Sequelize's `dialectModule` whose type parsers read int8 as number.
 * Passing it per Sequelize instance avoids mutating pg's process-global parsers.
 */
export const pgModule = {
  ...pg,
  Client: pg.Client,
  types: {
    ...pg.types,
    arrayParser: pg.types.arrayParser,
    getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
      if (format !== 'binary' && oid === INT8_OID) return parseInt8;
      if (format !== 'binary' && oid === INT8_ARRAY_OID) return parseInt8Array;
      return (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format);
    },
  },
};
