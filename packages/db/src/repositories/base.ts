import { QueryTypes, type Model, type Sequelize, type Transaction } from 'sequelize';
import type { SecretCipher } from '../crypto.js';
import { DbError } from '../errors.js';
import type { Models } from '../models/index.js';
import { camelize } from '../sql.js';

/** Every repository method takes this last: pass `{ transaction: tx }` to join a transaction. */
export interface TxOptions {
  transaction?: Transaction;
}

/** What repositories are built from. */
export interface RepoDeps {
  sequelize: Sequelize;
  models: Models;
  cipher: SecretCipher;
}

/** Runs raw SQL with `$1..$n` binds and returns camelCase rows (also for `... RETURNING *`). */
export async function queryRows<T>(sequelize: Sequelize, sql: string, bind: unknown[], opts: TxOptions = {}): Promise<T[]> {
  const rows = await sequelize.query<Record<string, unknown>>(sql, {
    bind,
    type: QueryTypes.SELECT,
    transaction: opts.transaction,
  });
  return rows.map((r) => camelize<T>(r));
}

/** The first row or null. */
export async function queryOne<T>(sequelize: Sequelize, sql: string, bind: unknown[], opts: TxOptions = {}): Promise<T | null> {
  const rows = await queryRows<T>(sequelize, sql, bind, opts);
  return rows[0] ?? null;
}

/** Uses the caller's transaction, or opens one so a multi-statement operation stays atomic. */
export async function inTx<T>(sequelize: Sequelize, opts: TxOptions, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  if (opts.transaction) return fn(opts.transaction);
  return sequelize.transaction(fn);
}

/** A Sequelize instance (or null) as our plain record type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the creation shape does not matter here
type AnyModel<T extends object> = Model<T, any>;

export function plain<T extends object>(row: AnyModel<T> | null): T | null {
  return row ? row.get({ plain: true }) : null;
}

export function plainAll<T extends object>(rows: ReadonlyArray<AnyModel<T>>): T[] {
  return rows.map((r) => r.get({ plain: true }));
}

/** Throws `NOT_FOUND` when a row the caller relies on is missing. */
export function required<T>(value: T | null, entity: string, id: unknown): T {
  if (value === null) throw new DbError('NOT_FOUND', `${entity} ${String(id)} not found`, { entity, id });
  return value;
}
