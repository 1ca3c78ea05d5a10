/**
 * Webhook acknowledgement: the real `services/webhooks` process (verify the Crypto Pay signature,
 * find the payment, store the event once, enqueue settlement, answer) against a bare Koa
 * endpoint (read the body, answer 200), both as separate processes, in the same run:
 *
 * 1. open loop at --rate req/s for --duration s (latency from each request's due time), then
 * 2. closed loop with --connections clients for --max-duration s (the most each can answer).
 *
 * Every notification is a genuine, unique signed `invoice_paid` for a pending payment; afterwards
 * the bench checks that each one answered 200 was stored once and enqueued once.
 *
 *   pnpm --filter @vpn/bench bench:webhooks -- --rate 500 --duration 10
 *
 * Environment: DATABASE_URL, REDIS_URL (a schema `bench_webhooks_<time>` and a queue prefix of
 * its own are created and removed).
 */
import { parseArgs } from 'node:util';
import { createQueueFactory, settlementQueue } from '@vpn/queues';
import { deleteKeys, testQueuePrefix } from '@vpn/queues/testing';
import { startService } from '@vpn/worker/testing/processes';
import { benchConfig, benchServiceEnv, benchToken, makePendingPayments, openBenchDatabase, paidUpdate } from './fixture.js';
import { closedLoop, openLoop, type Shot } from './load.js';
import { LOAD_HEADER, loadRow, note, printTable } from './report.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    'max-duration': { type: 'string', default: '5' },
    /** Write a V8 CPU profile of the webhooks process to this folder. */
    profile: { type: 'string' },
    /** Extra V8/Node flags for the webhooks process, comma-separated (e.g. --max-semi-space-size=32). */
    'node-flags': { type: 'string', default: '' },
  },
});
const rate = Number(args.rate);
const durationMs = Number(args.duration) * 1000;
const connections = Number(args.connections);
const maxDurationMs = Number(args['max-duration']) * 1000;

const { REDIS_URL } = benchConfig();
const prefix = testQueuePrefix('bench');
const token = benchToken();
const bench = await openBenchDatabase('webhooks');
const processes: Array<ReturnType<typeof startService>> = [];
let failed = false;
try {
  // Enough unique notifications for the open loop, a warm-up and a generous closed loop.
  const needed = Math.round(rate * (durationMs / 1000)) + 500 + 8_000 * Math.ceil(maxDurationMs / 1000);
  note(`preparing ${needed} pending payments…`);
  const payments = await makePendingPayments(bench.db, needed);
  let cursor = 0;
  let updateId = 1;
  const nextNotification = (): Shot => {
    const p = payments[cursor++ % payments.length]!;
    return paidUpdate(token, p, updateId++);
  };
  // The closed loop stops when the unique notifications run out rather than send duplicates,
  // which cost less (no job) and would flatter the figure.
  const nextUnique = (): Shot | null => (cursor < payments.length ? nextNotification() : null);
  const bareShot = (): Shot => paidUpdate(token, payments[0]!, 0);

  const webhooks = startService(
    'webhooks',
    { ...benchServiceEnv(bench, prefix, token), DATABASE_POOL_MAX: '16', WEBHOOKS_PORT: '0', WEBHOOKS_HOST: '127.0.0.1' },
    [
      ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : []),
      ...(args['node-flags'] ? args['node-flags'].split(',') : []),
    ],
  );
  const bare = startService({ name: 'bare-koa', main: new URL('./bare-server.ts', import.meta.url).pathname }, { NODE_ENV: 'production' });
  processes.push(webhooks, bare);
  const webhooksUrl = `http://127.0.0.1:${String((await webhooks.waitForLine((l) => l.msg === 'webhooks listening')).port)}/webhooks/cryptopay`;
  const bareUrl = `http://127.0.0.1:${String((await bare.waitForLine((l) => l.msg === 'bare listening')).port)}/webhooks/cryptopay`;

  note('warming up…');
  await closedLoop(bareUrl, 8, 1_000, bareShot);
  await openLoop(webhooksUrl, 200, 2_500, nextNotification);

  note(`open loop: ${rate} req/s for ${durationMs / 1000} s each…`);
  const bareOpen = await openLoop(bareUrl, rate, durationMs, bareShot);
  const hooksOpen = await openLoop(webhooksUrl, rate, durationMs, nextNotification);
  note(`closed loop: ${connections} connections for ${maxDurationMs / 1000} s each…`);
  const bareMax = await closedLoop(bareUrl, connections, maxDurationMs, bareShot);
  const hooksMax = await closedLoop(webhooksUrl, connections, maxDurationMs, nextUnique);

  printTable(`Webhook acknowledgement (${rate} req/s offered; ${connections} connections for the maximum)`, LOAD_HEADER, [
    loadRow(`bare Koa @ ${rate}/s`, bareOpen),
    loadRow(`webhooks @ ${rate}/s`, hooksOpen),
    loadRow('bare Koa, max', bareMax),
    loadRow('webhooks, max', hooksMax),
  ]);
  const ratio = (hooksMax.statuses['200'] ?? 0) / hooksMax.elapsedMs / ((bareMax.statuses['200'] ?? 1) / bareMax.elapsedMs);
  const p99 = Number(loadRow('', hooksOpen)[4]);

  // Nothing lost or doubled: every unique notification answered 200 is one row and one job.
  const sentUnique = Math.min(cursor, payments.length);
  const [rows] = await bench.db.sequelize.query('SELECT count(*)::int AS n FROM payment_events');
  const stored = (rows as Array<{ n: number }>)[0]?.n ?? 0;
  const queues = createQueueFactory({ redisUrl: REDIS_URL, prefix });
  const jobs = await queues.queue(settlementQueue).getJobCounts();
  await queues.close();
  const enqueued = jobs.waiting + jobs.active + jobs.delayed + jobs.completed + jobs.failed;
  printTable(
    'Targets and checks',
    ['check', 'value', 'target', 'ok'],
    [
      ['webhooks p99 at offered rate (ms)', p99.toFixed(1), '< 20', p99 < 20 ? 'yes' : 'NO'],
      ['webhooks max / bare max throughput', ratio.toFixed(2), '>= 0.50', ratio >= 0.5 ? 'yes' : 'NO'],
      ['unique notifications sent', sentUnique, '', ''],
      ['payment_events rows', stored, `= ${sentUnique}`, stored === sentUnique ? 'yes' : 'NO'],
      ['settlement jobs', enqueued, `= ${sentUnique}`, enqueued === sentUnique ? 'yes' : 'NO'],
    ],
  );
  failed = stored !== sentUnique || enqueued !== sentUnique;
} finally {
  await Promise.allSettled(processes.map((p) => p.stop()));
  await deleteKeys(REDIS_URL, prefix);
  await bench.drop();
}
process.exitCode = failed ? 1 : 0;
