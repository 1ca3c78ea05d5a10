/**
 * Settlement end to end: signed Crypto Pay notifications → the real `services/webhooks` process
 * (store once, enqueue) → the real `services/worker` process (settle through billing, extend the
 * subscription, dispatch the outbox, provision on a Marzban emulator, tell the customer through a
 * Telegram emulator). Sends --n notifications (plus --duplicates of them again) over
 * --connections, and measures how fast payments become settled with the subscription extended.
 * Then checks nothing was lost or doubled. Exit code 1 when a check fails.
 *
 *   pnpm --filter @vpn/bench bench:settlement --n 2000 --concurrency 16
 *
 * Environment: DATABASE_URL, REDIS_URL (a schema `bench_settlement_<time>` and a queue prefix of
 * its own are created and removed).
 */
import { parseArgs } from 'node:util';
import { deleteKeys, testQueuePrefix } from '@vpn/queues/testing';
import { createEmulator } from '@vpn/telegram-emulator';
import { createMarzbanEmulator, marzbanServerRow } from '@vpn/vpn/testing';
import { startService } from '@vpn/worker/testing/processes';
import {
  benchConfig,
  benchServiceEnv,
  benchToken,
  forEach,
  makePendingPayments,
  openBenchDatabase,
  paidUpdate,
} from '../webhooks/fixture.js';
import { closedLoop } from '../webhooks/load.js';
import { note, printTable } from '../webhooks/report.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    duplicates: { type: 'string', default: '0.1' },
    connections: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '16' },
    /**
     * `split` (default): one worker serves settlement while panels and messages wait, then a
     * second worker drains them (settlement throughput on its own, as with replicas per queue);
     * `together`: one worker serves every queue at once.
     */
    mode: { type: 'string', default: 'split' },
    /** Write a V8 CPU profile of the worker process to this folder. */
    profile: { type: 'string' },
  },
});
const n = Number(args.n);
const duplicates = Math.round(n * Number(args.duplicates));
const BOT_TOKEN = '7000000003:AAbench-settlement-client-bot-token';

const { REDIS_URL } = benchConfig();
const prefix = testQueuePrefix('bench');
const token = benchToken();
const bench = await openBenchDatabase('settlement', 8);
const telegram = await createEmulator({ rateLimits: false, bots: [{ token: BOT_TOKEN, username: 'vpn_bench_bot' }] });
const panel = await createMarzbanEmulator();
const processes: Array<ReturnType<typeof startService>> = [];
let failed = false;
const count = async (sql: string): Promise<number> => {
  const [rows] = await bench.db.sequelize.query(sql);
  return Number((rows as Array<{ n: number | string }>)[0]?.n ?? 0);
};
try {
  note(`preparing ${n} customers with a pending payment…`);
  await bench.db.repos.servers.create({ name: 'bench-nl', countryCode: 'NL', ...marzbanServerRow(panel), capacity: null });
  const telegramIds: number[] = [];
  await forEach(n, 8, async (i) => {
    const user = await telegram.client.createUser({ firstName: `B${i}`, languageCode: 'ru' });
    await telegram.client.start({ from: user.id, bot: 'vpn_bench_bot' });
    telegramIds[i] = user.id;
  });
  const payments = await makePendingPayments(bench.db, n, telegramIds);

  const env = benchServiceEnv(bench, prefix, token);
  const webhooks = startService('webhooks', { ...env, DATABASE_POOL_MAX: '8', WEBHOOKS_PORT: '0', WEBHOOKS_HOST: '127.0.0.1' });
  const split = args.mode !== 'together';
  const workerEnv = {
    ...env,
    DATABASE_POOL_MAX: String(Number(args.concurrency) + 4),
    WORKER_CONCURRENCY: args.concurrency,
    WORKER_SCHEDULES: 'false',
    CLIENT_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
  };
  const worker = startService(
    'worker',
    { ...workerEnv, ...(split ? { WORKER_QUEUES: 'settlement,outbox-dispatch' } : {}) },
    args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [],
  );
  processes.push(webhooks, worker);
  const port = (await webhooks.waitForLine((l) => l.msg === 'webhooks listening')).port;
  await worker.waitForLine((l) => l.msg === 'worker started');
  const url = `http://127.0.0.1:${String(port)}/webhooks/cryptopay`;

  // Every payment once, then a share of them again (a provider's retries), in one stream.
  const order = [...payments.keys(), ...payments.keys()].slice(0, n + duplicates);
  let cursor = 0;
  note(`sending ${order.length} notifications (${duplicates} duplicates) on ${args.connections} connections…`);
  const xactBefore = await count('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()');
  const started = performance.now();
  const load = closedLoop(url, Number(args.connections), 600_000, () => {
    if (cursor >= order.length) return null;
    const i = order[cursor++]!;
    return paidUpdate(token, payments[i]!, cursor);
  });
  let settled = 0;
  let sentAt = 0;
  for (;;) {
    if (!sentAt && cursor >= order.length) sentAt = performance.now();
    settled = await count("SELECT count(*)::int AS n FROM payments WHERE status = 'succeeded'");
    if (settled >= n || performance.now() - started > 300_000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const settledMs = performance.now() - started;
  note('waiting for provisioning and notifications to drain…');
  const drained = performance.now();
  if (split) {
    const second = startService('worker', { ...workerEnv, WORKER_QUEUES: 'provisioning,notifications' });
    processes.push(second);
    await second.waitForLine((l) => l.msg === 'worker started');
  }
  while (
    (await count("SELECT count(*)::int AS n FROM vpn_accounts WHERE sync_state = 'synced'")) < n &&
    performance.now() - drained < 120_000
  )
    await new Promise((r) => setTimeout(r, 250));
  const allDoneMs = performance.now() - started;
  const drainMs = performance.now() - drained;
  const sent = await load;

  const xacts = (await count('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()')) - xactBefore;
  const events = await count('SELECT count(*)::int AS n FROM payment_events');
  const purchases = await count("SELECT count(*)::int AS n FROM subscription_events WHERE kind = 'purchase'");
  const doubled = await count(
    "SELECT count(*)::int AS n FROM (SELECT subscription_id FROM subscription_events WHERE kind = 'purchase' GROUP BY subscription_id HAVING count(*) > 1) d",
  );
  const wrongLength = await count(
    'SELECT count(*)::int AS n FROM subscriptions WHERE abs(extract(epoch FROM (ends_at - starts_at)) - 30 * 86400) > 120',
  );
  const [span] = await bench.db.sequelize.query(
    'SELECT extract(epoch FROM max(processed_at) - min(received_at)) * 1000 AS ms FROM payment_events',
  );
  const settleSpanMs = Number((span as Array<{ ms: number }>)[0]?.ms ?? Number.NaN);
  const rate = (n * 1000) / settledMs;

  printTable(
    `Settlement end to end (${n} payments, ${duplicates} duplicate notifications, worker concurrency ${args.concurrency}, ${split ? 'settlement worker apart' : 'one worker for every queue'})`,
    ['measure', 'value'],
    [
      ['notifications sent', sent.sent],
      ['acknowledged 200', sent.statuses['200'] ?? 0],
      ['sent in (s)', sentAt ? ((sentAt - started) / 1000).toFixed(1) : 'n/a'],
      ['all settled after (s)', (settledMs / 1000).toFixed(1)],
      ['settlements/s (first send → last settled)', rate.toFixed(0)],
      ['settlements/s (first stored → last processed event)', ((n * 1000) / settleSpanMs).toFixed(0)],
      ['provisioned and told, all done after (s)', (allDoneMs / 1000).toFixed(1)],
      [
        split ? 'provisioning + notification drain (accounts/s)' : 'whole journeys/s',
        ((n * 1000) / (split ? drainMs : allDoneMs)).toFixed(0),
      ],
      ['panel accounts', panel.userCount()],
      ['PostgreSQL commits per payment (all processes)', (xacts / n).toFixed(1)],
    ],
  );
  const checks: Array<[string, number, number]> = [
    ['payments settled', settled, n],
    ['payment_events rows (duplicates stored once)', events, n],
    ['purchases recorded', purchases, n],
    ['subscriptions extended more than once', doubled, 0],
    ['subscriptions not exactly 30 days', wrongLength, 0],
  ];
  printTable(
    'Checks',
    ['check', 'value', 'expected', 'ok'],
    [
      ...checks.map(([label, value, expected]) => [label, value, expected, value === expected ? 'yes' : 'NO']),
      ['settlements/s target', rate.toFixed(0), '>= 200', rate >= 200 ? 'yes' : 'NO'],
    ],
  );
  failed = checks.some(([, value, expected]) => value !== expected);
} finally {
  await Promise.allSettled(processes.map((p) => p.stop()));
  await Promise.allSettled([telegram.close(), panel.close()]);
  await deleteKeys(REDIS_URL, prefix);
  await bench.drop();
}
process.exitCode = failed ? 1 : 0;
process.exit();
