import { createHash } from 'node:crypto';
import { createDatabase, ensureDatabase, type Database } from '@vpn/db';
import type { DatasetShape } from './shape.js';

/**
 * The key the data sets' secrets (server credentials) are encrypted with. It protects nothing
 * real: the credentials are placeholders, and a bench re-points the servers at its emulators.
 */
export const DATASET_ENCRYPTION_KEY = createHash('sha256').update('vpn-bench-dataset').digest('hex');

/** The data set's database unless told otherwise. */
export const DEFAULT_DATASET_DATABASE = 'vpn_bench_1m';

/** Where the generator records what it made, beside (not in) the application's schema. */
const META = 'bench_meta';

/** What the generator recorded about a finished data set. */
export interface DatasetInfo {
  shape: DatasetShape;
  /** "Now" for the data: ends, payments and reminders are placed around it. */
  asOf: Date;
  generatedAt: Date;
  seconds: number;
}

/** `url` with its database name replaced by `database`. */
export function datasetUrl(url: string, database: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(database)) throw new Error(`database name ${database} must be [a-z][a-z0-9_]*`);
  const out = new URL(url);
  out.pathname = `/${database}`;
  return out.toString();
}

/** A handle on a data set's database (its `public` schema). */
export function openDatasetDatabase(
  url: string,
  options: { poolMax?: number; onQuery?: (sql: string, ms: number) => void } = {},
): Database {
  return createDatabase({
    url,
    poolMax: options.poolMax ?? 4,
    encryptionKey: DATASET_ENCRYPTION_KEY,
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  });
}

/** The record of a finished data set, or null (never generated, or generation did not finish). */
export async function readDatasetInfo(db: Pick<Database, 'sequelize'>): Promise<DatasetInfo | null> {
  const [found] = await db.sequelize.query(`SELECT to_regclass('${META}.dataset') IS NOT NULL AS present`);
  if (!(found[0] as { present: boolean }).present) return null;
  const [rows] = await db.sequelize.query(`SELECT shape, as_of, generated_at, seconds FROM ${META}.dataset LIMIT 1`);
  const row = rows[0] as { shape: DatasetShape; as_of: Date; generated_at: Date; seconds: number } | undefined;
  return row
    ? { shape: row.shape, asOf: new Date(row.as_of), generatedAt: new Date(row.generated_at), seconds: Number(row.seconds) }
    : null;
}

/** Records a finished data set (the last thing the generator does, so a half-made one has no record). */
export async function writeDatasetInfo(db: Pick<Database, 'sequelize'>, info: DatasetInfo): Promise<void> {
  await db.sequelize.query(`CREATE SCHEMA IF NOT EXISTS ${META}`);
  await db.sequelize.query(
    `CREATE TABLE IF NOT EXISTS ${META}.dataset (shape jsonb NOT NULL, as_of timestamptz NOT NULL, generated_at timestamptz NOT NULL, seconds real NOT NULL)`,
  );
  await db.sequelize.query(`DELETE FROM ${META}.dataset`);
  await db.sequelize.query(`INSERT INTO ${META}.dataset VALUES ($1::jsonb, $2, $3, $4)`, {
    bind: [JSON.stringify(info.shape), info.asOf, info.generatedAt, info.seconds],
  });
}

/** Runs `sql` on the maintenance database of `url`'s server. */
async function onServer(url: string, sql: string): Promise<void> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = createDatabase({ url: maintenance.toString(), poolMax: 1, encryptionKey: DATASET_ENCRYPTION_KEY });
  try {
    await admin.sequelize.query(sql);
  } finally {
    await admin.close();
  }
}

/** Drops the database of `url` (closing whatever is connected to it) and creates it empty. */
export async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await onServer(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await ensureDatabase(url);
}

/**
 * A throw-away copy of a finished data set (`CREATE DATABASE … TEMPLATE`: a file copy, far
 * quicker than generating again), for a bench that changes what it reads. Nothing may be
 * connected to the source while it is copied.
 */
export async function cloneDataset(sourceUrl: string, targetUrl: string): Promise<void> {
  const source = new URL(sourceUrl).pathname.slice(1);
  const target = new URL(targetUrl).pathname.slice(1);
  await onServer(targetUrl, `DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`);
  await onServer(targetUrl, `CREATE DATABASE "${target}" TEMPLATE "${source}"`);
}

/** Drops a database made by {@link cloneDataset}. */
export async function dropDatabase(url: string): Promise<void> {
  await onServer(url, `DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
}
