/**
 * The worker's sweeps on the 1 M data set (`dataset:generate` first): each sweep's selection as
 * it was and as it is, in the same run, at the data set's "now". Reads only: where a figure needs
 * a change (the state after a run, the plan without an index) it is made in a transaction that
 * is rolled back.
 *
 *   pnpm --filter @vpn/bench bench:sweeps [--database vpn_bench_1m] [--hours 1] [--latency 200]
 */
import { parseArgs } from 'node:util';
import { baseSchema, databaseSchema, loadConfig, z } from '@vpn/config';
import type { Database, ReminderCursor, Transaction } from '@vpn/db';
import { DEFAULT_DATASET_DATABASE, datasetUrl, openDatasetDatabase, readDatasetInfo } from '../dataset/database.js';
import { createQueryCounter } from '../settlement-core/measure.js';
import { measureReconciliation } from './reconciliation.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    database: { type: 'string', default: DEFAULT_DATASET_DATABASE },
    /** Hours of yesterday's closed payments the reconciliation bench reads (the whole day is ~50 k). */
    hours: { type: 'string', default: '1' },
    latency: { type: 'string', default: '200' },
  },
});
const print = (text: string) => process.stdout.write(`${text}\n`);
const DAY = 86_400_000;
const HOUR = 3_600_000;

const config = loadConfig(z.object({ ...baseSchema.shape, ...databaseSchema.shape }));
const counter = createQueryCounter();
let slowest = 0;
const db = openDatasetDatabase(datasetUrl(config.DATABASE_URL, args.database), {
  poolMax: 2,
  onQuery: (sql, ms) => {
    counter.observe(sql, ms);
    slowest = Math.max(slowest, ms);
  },
});

/** Runs `fn` counting statements and timing the slowest one. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; statements: number; slowestMs: number }> {
  counter.start();
  slowest = 0;
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const slowestMs = slowest;
  const { statements } = counter.stop();
  return { value, ms, statements, slowestMs };
}

/** Rolls back whatever `fn` changed. */
async function rolledBack(fn: (tx: Transaction) => Promise<void>): Promise<void> {
  const tx = await db.sequelize.transaction();
  try {
    await fn(tx);
  } finally {
    await tx.rollback();
  }
}

/** The old reminders selection: pages of 500 by `ends_at` with the cursor at last + 1 ms (skips ties). */
async function remindersBefore(now: Date, tx?: Transaction) {
  const t = tx ? { transaction: tx } : {};
  let rows = 0;
  const walk = async (from: Date, to: Date, status: 'active' | 'expired') => {
    for (let cursor = from; ;) {
      const page = await db.repos.subscriptions.listEndingBetween(cursor, to, { status, limit: 500 }, t);
      rows += page.length;
      const last = page.at(-1)?.endsAt;
      if (page.length < 500 || !last) return;
      cursor = new Date(last.getTime() + 1);
    }
  };
  await walk(now, new Date(now.getTime() + 3 * DAY), 'active');
  for (const status of ['expired', 'active'] as const) await walk(new Date(now.getTime() - 3 * DAY), now, status);
  return rows;
}

/** The reminders selection now: only what is due, pages of 1000 on (ends_at, id). */
async function remindersAfter(now: Date, tx?: Transaction) {
  const t = tx ? { transaction: tx } : {};
  const due: Array<{ userId: number; reference: string; kind: string }> = [];
  const walk = async (read: (after?: ReminderCursor) => ReturnType<Database['repos']['reminders']['listDueReminders']>, kind: string) => {
    let after: ReminderCursor | undefined;
    do {
      const page = await read(after);
      due.push(...page.rows.map((r) => ({ userId: r.userId, reference: r.reference, kind })));
      after = page.next ?? undefined;
    } while (after);
  };
  const { reminders } = db.repos;
  const to = new Date(now.getTime() + 3 * DAY);
  const since = new Date(now.getTime() - 3 * DAY);
  await walk((after) => reminders.listDueReminders({ now, to, limit: 1000, ...(after ? { after } : {}) }, t), 'expiry_reminder');
  for (const status of ['expired', 'active'] as const)
    await walk(
      (after) => reminders.listDueEndedNotices({ status, since, now, limit: 1000, ...(after ? { after } : {}) }, t),
      'subscription_expired',
    );
  return due;
}

async function reminders(now: Date): Promise<void> {
  const before = await measured(() => remindersBefore(now));
  const after = await measured(() => remindersAfter(now));
  print('reminders, one run at the data set\'s "now"');
  print(
    `  before: ${before.value} jobs queued (every subscription of the windows), ${before.statements} SELECTs, ${before.ms.toFixed(0)} ms`,
  );
  print(
    `  after:  ${after.value.length} jobs queued (due, unsent), ${after.statements} SELECTs, ${after.ms.toFixed(0)} ms (slowest page ${after.slowestMs.toFixed(0)} ms)`,
  );
  // The next run, 15 minutes later, once what was due has been sent (recorded, then rolled back).
  await rolledBack(async (tx) => {
    for (let i = 0; i < after.value.length; i += 5_000) {
      const chunk = after.value.slice(i, i + 5_000);
      await db.sequelize.query(
        `INSERT INTO sent_notifications (user_id, kind, reference, state, sent_at)
         SELECT * , 'sent', now() FROM unnest($1::bigint[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        { bind: [chunk.map((d) => d.userId), chunk.map((d) => d.kind), chunk.map((d) => d.reference)], transaction: tx },
      );
    }
    const next = new Date(now.getTime() + 15 * 60_000);
    const again = await measured(() => remindersAfter(next, tx));
    const old = await measured(() => remindersBefore(next, tx));
    print(
      `  next run, 15 minutes later: before ${old.value} jobs; after ${again.value.length} jobs, ${again.statements} SELECTs, ${again.ms.toFixed(0)} ms`,
    );
  });
}

async function autoRenew(now: Date): Promise<void> {
  const window = { from: new Date(now.getTime() - 72 * HOUR), to: new Date(now.getTime() + 24 * HOUR), now, maxFailures: 2 };
  const walk = async (tx?: Transaction) => {
    let rows = 0;
    let after: { endsAt: Date; id: number } | undefined;
    for (;;) {
      const page = await db.repos.subscriptions.listRenewalCandidates(
        { ...window, limit: 200, ...(after ? { after } : {}) },
        tx ? { transaction: tx } : {},
      );
      rows += page.length;
      const last = page.at(-1);
      if (page.length < 200 || !last?.endsAt) return rows;
      after = { endsAt: last.endsAt, id: last.id };
    }
  };
  let before = { value: 0, ms: 0, statements: 0, slowestMs: 0 };
  await rolledBack(async (tx) => {
    // Others may read the data set: wait for its lock only briefly.
    await db.sequelize.query("SET LOCAL lock_timeout = '5s'", { transaction: tx });
    await db.sequelize.query('DROP INDEX subscriptions_renewal_candidates_idx', { transaction: tx });
    before = await measured(() => walk(tx));
  });
  const after = await measured(() => walk());
  print('auto-renew selection (pages of 200 over the whole due list)');
  print(
    `  without the partial index: ${before.value} candidates, ${before.statements} pages, slowest ${before.slowestMs.toFixed(1)} ms, ${before.ms.toFixed(0)} ms`,
  );
  print(
    `  with it:                   ${after.value} candidates, ${after.statements} pages, slowest ${after.slowestMs.toFixed(1)} ms, ${after.ms.toFixed(0)} ms`,
  );
}

async function expiry(now: Date): Promise<void> {
  const [rows] = await db.sequelize.query("SELECT count(*)::int AS n FROM subscriptions WHERE status = 'active' AND ends_at <= $1", {
    bind: [now],
  });
  const backlog = (rows[0] as { n: number }).n;
  const page = await measured(() => db.repos.subscriptions.listExpiredButActive(now, 500));
  print('expiry sweep');
  print(`  backlog ${backlog}; a page of 500 selected in ${page.ms.toFixed(0)} ms`);
  print(`  before: 500 per 5-minute run -> ${Math.ceil(backlog / 500)} runs, ${((Math.ceil(backlog / 500) * 5) / 60).toFixed(1)} h`);
  print(`  after:  pages until done or 2 000 panel changes wait -> ${Math.ceil(backlog / 20_000)} run(s) at most, paced by provisioning`);
}

async function reconciliationIndex(now: Date): Promise<void> {
  const day = new Date(`${new Date(now.getTime() - DAY).toISOString().slice(0, 10)}T00:00:00Z`);
  const read = (tx?: Transaction) =>
    db.repos.payments.listClosedCreatedBetween(day, new Date(day.getTime() + DAY), { limit: 500 }, tx ? { transaction: tx } : {});
  let before = { value: [] as unknown[], ms: 0, statements: 0, slowestMs: 0 };
  await rolledBack(async (tx) => {
    await db.sequelize.query("SET LOCAL lock_timeout = '5s'", { transaction: tx });
    await db.sequelize.query('DROP INDEX payments_closed_created_idx', { transaction: tx });
    await read(tx);
    before = await measured(() => read(tx));
  });
  await read();
  const after = await measured(() => read());
  print(
    `payment reconciliation, first page of yesterday's closed payments: ${before.ms.toFixed(0)} ms without the index, ${after.ms.toFixed(0)} ms with it`,
  );
}

try {
  const info = await readDatasetInfo(db);
  if (!info) throw new Error(`${args.database} holds no finished data set: run dataset:generate first`);
  print(`${args.database}: ${JSON.stringify(info.shape)}, as of ${info.asOf.toISOString()}`);
  await reminders(info.asOf);
  await autoRenew(info.asOf);
  await expiry(info.asOf);
  await reconciliationIndex(info.asOf);
  const yesterday = new Date(`${new Date(info.asOf.getTime() - DAY).toISOString().slice(0, 10)}T00:00:00Z`);
  await measureReconciliation(
    db,
    { from: yesterday, to: new Date(yesterday.getTime() + Number(args.hours) * HOUR), latencyMs: Number(args.latency) },
    print,
  );
} finally {
  await db.close();
}
