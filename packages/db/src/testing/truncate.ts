import type { Sequelize } from 'sequelize';
import { MIGRATIONS_TABLE } from '../migrator.js';
import { quoteIdent } from '../sql.js';

/** Orders tables so every table comes before the tables it references (safe order for DELETE). */
export function deleteOrder(tables: string[], edges: Array<{ child: string; parent: string }>): string[] {
  const referencedBy = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of edges) if (child !== parent) referencedBy.get(parent)?.add(child);
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (done.has(t) || path.has(t)) return;
    path.add(t);
    for (const child of referencedBy.get(t) ?? []) visit(child, path);
    done.add(t);
    out.push(t);
  };
  for (const t of [...tables].sort()) visit(t, new Set());
  return out;
}

/**
 * Builds a fast "empty every table" for a migrated schema. DELETE in dependency order plus
 * sequence resets takes milliseconds, where TRUNCATE of twenty tables costs most of a second.
 */
export async function createTruncator(sequelize: Sequelize): Promise<() => Promise<void>> {
  const [tableRows] = await sequelize.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '${MIGRATIONS_TABLE}'`,
  );
  const [edgeRows] = await sequelize.query(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  const [seqRows] = await sequelize.query(`SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()`);
  const tables = (tableRows as { tablename: string }[]).map((r) => r.tablename);
  const order = deleteOrder(tables, edgeRows as { child: string; parent: string }[]);
  const sequences = (seqRows as { sequencename: string }[]).map((r) => r.sequencename);
  const sql = [
    // Replica mode for this statement only: the append-only audit log's trigger (and the foreign
    // key checks, needless when every row goes) do not fire while tests empty the tables.
    'SET LOCAL session_replication_role = replica;',
    ...order.map((t) => `DELETE FROM ${quoteIdent(t)};`),
    ...sequences.map((s) => `SELECT setval('${quoteIdent(s)}', 1, false);`),
  ].join('\n');
  return async () => {
    if (order.length) await sequelize.query(sql);
  };
}
