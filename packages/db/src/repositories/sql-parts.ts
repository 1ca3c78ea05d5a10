import type { Model, ModelStatic } from 'sequelize';

/**
 * Pieces for the few hand-written statements on hot paths (settlement), where the ORM's query
 * building costs more than the database does. Column names come from the model definitions, so
 * the SQL stays in step with `models/`.
 */

/** `$n` placeholders over one bind array. */
export class Binds {
  readonly values: unknown[] = [];
  /** Appends `value` and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Attribute → column of a model. */
export function columnsOf<M extends Model>(model: ModelStatic<M>): ReadonlyMap<string, string> {
  return new Map(Object.entries(model.getAttributes()).map(([key, attr]) => [key, attr.field ?? key]));
}

/**
 * `SELECT col AS "attr", … FROM table`: a hand-written read that returns exactly the record
 * `findAll` + `plain` would (every attribute, nothing else), without the ORM building the query
 * and an instance per row. For reads made on nearly every bot update.
 */
export function selectFrom<M extends Model>(model: ModelStatic<M>): string {
  const list = [...columnsOf(model)].map(([key, column]) => `${column} AS "${key}"`).join(', ');
  return `SELECT ${list} FROM ${model.tableName}`;
}

/** `a.col AS "prefix.attr", ...`: a model's columns for a join whose rows Sequelize nests (`nest: true`). */
export function aliasedColumns<M extends Model>(model: ModelStatic<M>, alias: string, prefix: string): string {
  return [...columnsOf(model)].map(([key, column]) => `${alias}.${column} AS "${prefix}.${key}"`).join(', ');
}

/** `[column, placeholder]` for every defined value (an unknown key is refused: a typo must not vanish). */
export function columnValues(columns: ReadonlyMap<string, string>, values: object, binds: Binds): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const column = columns.get(key);
    if (!column) throw new TypeError(`unknown field ${key}`);
    out.push([column, binds.add(value)]);
  }
  return out;
}

/** `INSERT INTO table (cols) VALUES (...)` for the defined values; the rest take database defaults. */
export function insertStatement(table: string, columns: ReadonlyMap<string, string>, values: object, binds: Binds): string {
  const pairs = columnValues(columns, values, binds);
  return `INSERT INTO ${table} (${pairs.map(([c]) => c).join(', ')}) VALUES (${pairs.map(([, p]) => p).join(', ')})`;
}

/** `col = $n` assignments for the defined values. */
export function assignments(columns: ReadonlyMap<string, string>, values: object, binds: Binds): string[] {
  return columnValues(columns, values, binds).map(([column, param]) => `${column} = ${param}`);
}

/** `text` taken literally inside a LIKE pattern: `_`, `%` and `\\` escaped (PostgreSQL's default escape is the backslash). */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
