/**
 * Generates the 1 M data set into a database of its own, against the real schema: the real
 * migrations first, then the real seed, then one `INSERT … SELECT generate_series` per table
 * (see generate.ts), the references verified, `VACUUM ANALYZE`, and a record of what was made.
 * A database that already holds a finished data set of the same shape is kept as it is (benches
 * reuse it; `--force` makes it again).
 *
 *   pnpm --filter @vpn/bench dataset:generate --database vpn_bench_1m
 *   pnpm --filter @vpn/bench dataset:generate --database vpn_bench_small --customers 100000 --force
 *
 * Environment: DATABASE_URL (its server is used; the database name comes from --database).
 */
import { parseArgs } from 'node:util';
import { baseSchema, databaseSchema, loadConfig, z } from '@vpn/config';
import {
  DEFAULT_DATASET_DATABASE,
  datasetUrl,
  openDatasetDatabase,
  readDatasetInfo,
  recreateDatabase,
  writeDatasetInfo,
} from './database.js';
import { generateDataset } from './generate.js';
import { DEFAULT_SHAPE, scaledShape, type DatasetShape } from './shape.js';
import { verifyDataset } from './verify.js';

const { values: args } = parseArgs({
  // `pnpm run x -- --flag` hands the `--` on: skip it.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    database: { type: 'string', default: DEFAULT_DATASET_DATABASE },
    customers: { type: 'string', default: String(DEFAULT_SHAPE.customers) },
    payments: { type: 'string' },
    servers: { type: 'string' },
    'shared-ends': { type: 'string' },
    'backlog-hours': { type: 'string' },
    'refused-events': { type: 'string' },
    /** The instant the data describes (ISO); default now, to the minute. */
    'as-of': { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});
const print = (text: string) => process.stdout.write(`${text}\n`);
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const config = loadConfig(z.object({ ...baseSchema.shape, ...databaseSchema.shape }));
const url = datasetUrl(config.DATABASE_URL, args.database);
const overrides: Partial<DatasetShape> = Object.fromEntries(
  Object.entries({
    payments: num(args.payments),
    servers: num(args.servers),
    sharedEndsShare: num(args['shared-ends']),
    backlogHours: num(args['backlog-hours']),
    refusedEvents: num(args['refused-events']),
  }).filter(([, v]) => v !== undefined),
);
const shape = scaledShape(Number(args.customers), overrides);
const asOf = new Date(Math.floor((args['as-of'] ? Date.parse(args['as-of']) : Date.now()) / 60_000) * 60_000);
if (Number.isNaN(asOf.getTime())) throw new Error('--as-of must be an ISO date');

let db = openDatasetDatabase(url);
let failed = false;
try {
  const existing = await readDatasetInfo(db).catch(() => null);
  if (existing && !args.force && JSON.stringify(existing.shape) === JSON.stringify(shape)) {
    print(`${args.database}: a data set of this shape exists (as of ${existing.asOf.toISOString()}); kept. --force makes it again.`);
  } else {
    if (existing && !args.force) throw new Error(`${args.database} holds a data set of another shape; pass --force to replace it`);
    await db.close();
    await recreateDatabase(url);
    db = openDatasetDatabase(url);
    print(`${args.database}: ${JSON.stringify(shape)} as of ${asOf.toISOString()}`);
    const t0 = performance.now();
    await db.migrator().up();
    print(`  migrations                      ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const summary = await generateDataset(db, shape, asOf, (step) =>
      print(`  ${step.name.padEnd(32)}${step.seconds.toFixed(1).padStart(6)} s ${String(step.rows).padStart(10)} rows`),
    );
    const t1 = performance.now();
    const problems = await verifyDataset(db);
    print(`  verified references             ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    if (problems.length > 0) {
      failed = true;
      print(`  FAILED\n    ${problems.join('\n    ')}`);
    } else {
      const t2 = performance.now();
      await db.sequelize.query('VACUUM (ANALYZE)');
      print(`  vacuum analyze                  ${((performance.now() - t2) / 1000).toFixed(1)} s`);
      const seconds = (performance.now() - t0) / 1000;
      await writeDatasetInfo(db, { shape, asOf, generatedAt: new Date(), seconds });
      const [size] = await db.sequelize.query('SELECT pg_size_pretty(pg_database_size(current_database())) AS size');
      print(`  done in ${seconds.toFixed(0)} s, ${(size[0] as { size: string }).size}: ${JSON.stringify(summary.rows)}`);
    }
  }
} finally {
  await db.close();
}
if (failed) process.exitCode = 1;
