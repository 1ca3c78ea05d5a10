import { DbError } from './errors.js';

/** Schema names we accept: the same rule as `DATABASE_SCHEMA` in @vpn/config. */
const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Quotes a schema/identifier after validating it; refuses anything that is not a plain name. */
export function quoteIdent(name: string): string {
  if (!IDENT.test(name) || name.length > 63) throw new DbError('INVALID_INPUT', `invalid identifier: ${name}`);
  return `"${name}"`;
}

// Column names repeat on every row of every query: convert each one once.
const camelNames = new Map<string, string>();
const toCamel = (key: string): string => {
  let name = camelNames.get(key);
  if (name === undefined) {
    name = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    if (camelNames.size < 10_000) camelNames.set(key, name);
  }
  return name;
};

/** Maps a raw snake_case row (from `RETURNING *` or a hand-written SELECT) to our camelCase records. */
export function camelize<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const k in row) out[toCamel(k)] = row[k];
  return out as T;
}
