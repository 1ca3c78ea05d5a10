/**
 * Broadcast rate against the Telegram emulator's enforced limits, with receipts sent at the same
 * time. The emulator enforces Telegram's global limit (--limit messages/s, burst = one second)
 * and the per-chat limit; the send limiter is set to the same --limit. --senders broadcast
 * senders (as many workers) work through --n recipients while a transactional sender sends a
 * receipt every --receipt-every ms to a random recipient. Reports the broadcast's rate as a
 * ratio of the limit, the receipts' latency, 429s, and checks that every recipient got the
 * broadcast exactly once. Exit code 1 when a check fails.
 *
 *   pnpm --filter @vpn/bench bench:broadcast --n 1200 --senders 2 --limit 30
 *
 * Environment: DATABASE_URL, REDIS_URL (a schema `bench_broadcast_<time>` and a key prefix of
 * its own are created and removed).
 */
import { parseArgs } from 'node:util';
import { createI18n } from '@vpn/i18n';
import { silentLogger } from '@vpn/logger';
import { deleteKeys, testQueuePrefix } from '@vpn/queues/testing';
import { botIdOf, createApi, createSendLimiter } from '@vpn/telegram-kit';
import { createEmulator } from '@vpn/telegram-emulator';
import { BroadcastMedia, runBroadcast } from '@vpn/worker/broadcast';
import { Redis } from 'ioredis';
import { benchConfig, forEach, openBenchDatabase } from '../webhooks/fixture.js';
import { percentile } from '../webhooks/load.js';
import { ms, note, printTable } from '../webhooks/report.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1200' },
    senders: { type: 'string', default: '2' },
    limit: { type: 'string', default: '30' },
    'receipt-every': { type: 'string', default: '250' },
  },
});
const n = Number(args.n);
const limit = Number(args.limit);
const TOKEN = '7000000004:AAbench-broadcast-client-bot-token';
const TEXT = '📣 bench';

const { REDIS_URL } = benchConfig();
const prefix = testQueuePrefix('bench');
const bench = await openBenchDatabase('broadcast', 12);
const telegram = await createEmulator({
  rateLimits: { global: { burst: limit, perSecond: limit, retryAfter: 5 } },
  bots: [{ token: TOKEN, username: 'vpn_bench_bot' }],
});
const redis = new Redis(REDIS_URL);
let failed = false;
const check = (ok: boolean, what: string) => {
  if (!ok) failed = true;
  note(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};

try {
  note(`making ${n} customers`);
  const telegramIds: number[] = [];
  for (let i = 0; i < n; i++) {
    const user = await telegram.client.createUser({ firstName: `B${i}`, languageCode: 'ru' });
    await telegram.client.start({ from: user.id, bot: TOKEN });
    telegramIds.push(user.id);
  }
  await forEach(n, 8, async (i) => {
    await bench.db.repos.users.upsertFromTelegram({ telegramId: telegramIds[i]!, firstName: `B${i}`, languageCode: 'ru' }, {});
  });
  const repo = bench.db.repos.broadcasts;
  const broadcast = await repo.create({ text: TEXT, audience: {} });
  const total = await repo.start(broadcast.id, ['draft']);
  check(total === n, `${total} rows created at the start`);

  const limiter = createSendLimiter(redis, `${prefix}:`, { globalPerSecond: limit, chatPerSecond: 1, paidPerSecond: 1_000 });
  const botId = botIdOf(TOKEN);
  const bulkApi = createApi(TOKEN, { apiRoot: telegram.apiRoot, maxRetryAttempts: 0, networkRetries: 0 });
  const txApi = createApi(TOKEN, { apiRoot: telegram.apiRoot, sendLimit: { limiter, botId, lane: 'transactional' } });
  const deps = { db: bench.db, bulkApi, sendLimiter: limiter, botId, files: new BroadcastMedia(undefined), i18n: createI18n() };

  const started = Date.now();
  let running = true;
  const latencies: number[] = [];
  const receipts = (async () => {
    while (running) {
      const to = telegramIds[Math.floor(Math.random() * n)]!;
      const t0 = performance.now();
      await txApi.sendMessage(to, '🧾 receipt');
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, Number(args['receipt-every'])));
    }
  })();
  await Promise.all(Array.from({ length: Number(args.senders) }, () => runBroadcast(deps, broadcast.id, silentLogger())));
  running = false;
  await receipts;
  const elapsedS = (Date.now() - started) / 1000;

  const [[span]] = (await bench.db.sequelize.query(
    `SELECT count(*)::int AS sent, extract(epoch FROM max(sent_at) - min(sent_at))::float AS seconds
     FROM broadcast_deliveries WHERE broadcast_id = $1 AND status = 'sent'`,
    { bind: [broadcast.id] },
  )) as unknown as [[{ sent: number; seconds: number }]];
  const calls = await telegram.client.getCalls({ bot: TOKEN });
  const refused = calls.filter((c) => c.errorCode === 429).length;
  const sends = calls.filter((c) => c.method === 'sendMessage' && c.errorCode === undefined).length;
  let once = 0;
  let twice = 0;
  for (const id of telegramIds) {
    const got = (await telegram.client.getMessages({ chatId: id, bot: TOKEN })).filter((m) => m.text === TEXT).length;
    if (got === 1) once++;
    if (got > 1) twice++;
  }
  const rate = (span.sent - 1) / span.seconds;
  const allRate = sends / elapsedS;
  printTable(
    `broadcast to ${n} customers, ${args.senders} senders, emulator limit ${limit}/s (receipts every ${args['receipt-every']} ms)`,
    [
      'broadcast msg/s',
      'ratio to limit',
      'all msg/s (with receipts)',
      'receipts',
      'receipt p50 ms',
      'receipt p99 ms',
      '429s',
      'lost',
      'twice',
    ],
    [
      [
        rate.toFixed(1),
        (rate / limit).toFixed(3),
        allRate.toFixed(1),
        latencies.length,
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 99)),
        refused,
        n - once - twice,
        twice,
      ],
    ],
  );
  check(once === n, `${once} of ${n} got it exactly once`);
  check(percentile(latencies, 99) < 2_000, 'receipt p99 under 2 s');
} finally {
  await telegram.close();
  redis.disconnect();
  await deleteKeys(REDIS_URL, prefix);
  await bench.drop();
}
process.exit(failed ? 1 : 0);
