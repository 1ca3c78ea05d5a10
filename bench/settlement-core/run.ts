/**
 * Settlement throughput, end to end through `@vpn/billing` on a fresh PostgreSQL schema:
 * builds N pending payments (a mix of new and running subscriptions, referred buyers and a
 * shared promo code), settles them on C concurrent loops, prints settlements/s, p50/p99 latency
 * and statements per settlement, then re-delivers a share of the notifications (all must be
 * no-ops) and verifies nothing was lost or doubled. Exit code 1 when a check fails.
 *
 *   pnpm --filter @vpn/bench bench:settlement-core -- --n 2000 --concurrency 16 --pool 10
 *
 * Environment: DATABASE_URL (the schema `bench_settle_<time>` is created there and dropped).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createBilling } from '@vpn/billing';
import { baseSchema, databaseSchema, loadConfig, z } from '@vpn/config';
import { createDatabase, ensureDatabase } from '@vpn/db';
import { silentLogger } from '@vpn/logger';
import { buildFixture, forEachConcurrent, type BenchPayment } from './fixture.js';
import { createQueryCounter, percentile } from './measure.js';
import { verify } from './verify.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    pool: { type: 'string' },
    existing: { type: 'string', default: '0.5' },
    referred: { type: 'string', default: '0.1' },
    promo: { type: 'string', default: '0.1' },
    redeliver: { type: 'string', default: '0.2' },
    'show-sql': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const num = (v: string | undefined, name: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
  return n;
};

const config = loadConfig(z.object({ ...baseSchema.shape, ...databaseSchema.shape }));
const count = Math.max(1, Math.floor(num(args.n, 'n')));
const redeliver = Math.min(1, num(args.redeliver, 'redeliver'));
const concurrency = Math.max(1, Math.floor(num(args.concurrency, 'concurrency')));
const poolMax = args.pool === undefined ? config.DATABASE_POOL_MAX : Math.max(1, Math.floor(num(args.pool, 'pool')));
const schema = `bench_settle_${Date.now().toString(36)}`;
const counter = createQueryCounter();
// A measurement's output is its product: plain lines on stdout, not log records.
const print = (text: string) => process.stdout.write(`${text}\n`);

await ensureDatabase(config.DATABASE_URL);
// The key only protects secrets this bench never writes.
const db = createDatabase({
  url: config.DATABASE_URL,
  schema,
  poolMax,
  encryptionKey: randomBytes(32).toString('hex'),
  onQuery: (sql, ms) => counter.observe(sql, ms),
});
const logger = silentLogger();
const billing = createBilling({ db, logger });
let failed = false;
try {
  await db.migrator().up();
  const warmup = Math.min(20, count);
  const shape = {
    count,
    warmup,
    existing: num(args.existing, 'existing'),
    referred: num(args.referred, 'referred'),
    promo: num(args.promo, 'promo'),
    concurrency: poolMax,
  };
  const fixture = await buildFixture(db, billing, shape);
  const settle = (p: BenchPayment) =>
    billing.settlement.settlePayment({
      paymentId: p.paymentId,
      providerStatus: 'succeeded',
      amountMinor: p.amountMinor,
      currency: p.currency,
    });

  // Warm-up, one at a time: JIT, pool, settings cache; exact statements per settlement.
  const perSettlement: number[] = [];
  for (const [i, p] of fixture.payments.slice(count).entries()) {
    counter.start(args['show-sql'] && i === 0);
    await settle(p);
    const seen = counter.stop();
    perSettlement.push(seen.statements);
    if (seen.sql.length)
      print(
        `statements of one settlement (${p.previousEnd ? 'running' : 'new'} subscription${p.referrerId ? ', referred' : ''}${p.promo ? ', promo' : ''}):\n  ${seen.sql.join('\n  ')}`,
      );
  }

  const timed = fixture.payments.slice(0, count);
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  counter.start();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await forEachConcurrent(timed.length, concurrency, async (i) => {
    const t0 = performance.now();
    const result = await settle(timed[i] as BenchPayment);
    latencies.push(performance.now() - t0);
    outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const nodeCpu = (cpu.user + cpu.system) / 1e6 / seconds;
  const profile = counter.profile();
  const queries = counter.stop();
  if (args.profile) {
    print('statement time under load (count, mean ms, share of statement time):');
    const total = profile.reduce((sum, p) => sum + p.n * p.meanMs, 0);
    for (const p of profile)
      print(
        `  ${p.shape.padEnd(32)} ${String(p.n).padStart(6)} ${p.meanMs.toFixed(2).padStart(8)} ${((100 * p.n * p.meanMs) / total).toFixed(0).padStart(4)} %`,
      );
  }

  // Notifications delivered again (sequential retries and concurrent duplicates): all no-ops.
  const every = redeliver > 0 ? Math.round(1 / redeliver) : Number.POSITIVE_INFINITY;
  const again = fixture.payments.filter((_, i) => i % every === 0 && redeliver > 0);
  const repeats = new Map<string, number>();
  await forEachConcurrent(again.length * 2, concurrency, async (i) => {
    const result = await settle(again[i % again.length] as BenchPayment);
    repeats.set(result.outcome, (repeats.get(result.outcome) ?? 0) + 1);
  });

  const problems = await verify(db, billing, fixture);
  if (outcomes.get('settled') !== count) problems.push(`timed outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  if ((repeats.get('already_settled') ?? 0) !== again.length * 2)
    problems.push(`re-deliveries: ${JSON.stringify(Object.fromEntries(repeats))}`);

  const fmt = (ms: number) => ms.toFixed(1);
  print(
    [
      `settlement-core: ${count} settlements, concurrency ${concurrency}, pool ${poolMax}, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      `  throughput   ${(count / seconds).toFixed(1)} settlements/s (${seconds.toFixed(2)} s; this process used ${(100 * nodeCpu).toFixed(0)} % of a core)`,
      `  latency      p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(percentile(latencies, 100))} ms`,
      `  statements   ${(queries.statements / count).toFixed(2)} per settlement under load (${(queries.transactionControl / count).toFixed(2)} of them BEGIN/COMMIT); warm-up min ${Math.min(...perSettlement)} max ${Math.max(...perSettlement)}`,
      `  re-delivered ${again.length * 2} notifications: ${JSON.stringify(Object.fromEntries(repeats))}`,
      `  verified     ${problems.length === 0 ? 'nothing lost or doubled' : `FAILED\n    ${problems.join('\n    ')}`}`,
    ].join('\n'),
  );
  failed = problems.length > 0;
} finally {
  if (!args.keep) await db.sequelize.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await db.close();
}
if (failed) process.exitCode = 1;
