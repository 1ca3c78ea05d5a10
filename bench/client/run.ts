/**
 * `pnpm --filter @vpn/bench bench:client`: the client bot against a bare grammY bot, in the same
 * run, on the same Telegram emulator. Each bot is its own process (so its memory is its own);
 * simulated customers walk the mixed journey of `journey.ts`. Two phases per bot:
 *
 * 1. saturation: `--concurrency` customers at a time, each step waiting for the answer — the
 *    most updates per second the bot handles;
 * 2. paced: a fixed offered rate (`--rate`, default the lower of 1000/s and 80% of the client
 *    bot's saturation throughput) for `--seconds`, both bots at the same rate — the handler
 *    latency and memory at a load the bot sustains.
 *
 * Options: --users N (saturation customers, default 400), --concurrency N (default 100),
 * --rate N, --seconds N (default 10), --strict (exit 1 when a target is missed).
 * Environment: DATABASE_URL, REDIS_URL (the client bot's schema `bench_client` is recreated every
 * run); BENCH_TRACE_SQL=1 counts SQL per update, BENCH_PROFILE_DIR writes CPU profiles,
 * BENCH_NO_BUNDLE=1 runs the sources under tsx.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseSchema, loadConfig, readEnv, redisSchema, z } from '@vpn/config';
import { createI18n } from '@vpn/i18n';
import { createEmulator, type Emulator, type TgUser } from '@vpn/telegram-emulator';
import { bundle } from './bundle.js';
import { startChild, stats, stopChild, TOKENS } from './child.js';
import { countApiCalls } from './api-calls.js';
import { journeyFor, walk, type Target } from './journey.js';
import { closedLoop, pacedLoop } from './load.js';
import { prepareDatabase } from './prepare.js';
import { report, type Phase, type Result } from './report.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '100' },
    rate: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    strict: { type: 'boolean', default: false },
  },
});
const config = loadConfig(z.object({ ...databaseSchema.shape, ...redisSchema.shape }));
const ENTRIES: Record<Target, string> = {
  bare: join(import.meta.dirname, 'bare-bot.ts'),
  client: join(import.meta.dirname, 'client-bot.ts'),
};
const progress = (what: string) => process.stderr.write(`bench: ${what}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const queuePrefix = `bench-client-${randomBytes(4).toString('hex')}`;
await prepareDatabase(config.DATABASE_URL);
const emulator: Emulator = await createEmulator({
  rateLimits: false,
  bots: [
    { token: TOKENS.bare, username: 'bench_bare_bot' },
    { token: TOKENS.client, username: 'bench_client_bot' },
  ],
});
const apiCalls = countApiCalls(emulator);
const tg = emulator.client;
const i18n = createI18n();
let created = 0;
const customers = (target: Target, n: number): Promise<TgUser[]> =>
  Promise.all(Array.from({ length: n }, () => tg.createUser({ firstName: `${target}${created++}`, languageCode: 'ru' })));

/** Runs `load` against `target` and collects what both sides measured. */
async function phase(target: Target, child: ChildProcess, load: () => Promise<number>): Promise<Phase> {
  const botId = Number(TOKENS[target].split(':')[0]);
  await stats(child, true);
  apiCalls.take(botId);
  const started = performance.now();
  const cpuFrom = process.cpuUsage();
  const updates = await load();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuFrom);
  return {
    updates,
    seconds,
    throughput: updates / seconds,
    stats: await stats(child),
    harnessCpuMsPerUpdate: Math.round(((cpu.user + cpu.system) / 1000 / updates) * 100) / 100,
    apiCalls: apiCalls.take(botId),
  };
}

const children = new Map<Target, ChildProcess>();
try {
  const results = new Map<Target, Omit<Result, 'paced'>>();
  for (const target of ['bare', 'client'] as const) {
    const steps = journeyFor(target, i18n);
    const go = (u: TgUser) => walk(tg, TOKENS[target], target, u, steps);
    progress(`${target}: bundling and starting`);
    const script = readEnv().BENCH_NO_BUNDLE ? ENTRIES[target] : await bundle(ENTRIES[target], `${target}-bot`);
    const options = { emulator, databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL, queuePrefix };
    const child = await startChild(target, script, options);
    children.set(target, child);
    await sleep(2_000);
    const idle = await stats(child, true);
    // Warm-up: JIT, connection pools, prepared statements.
    await closedLoop(await customers(target, 40), 20, go);
    progress(`${target}: saturation`);
    const users = await customers(target, Number(values.users));
    results.set(target, { target, idle, saturation: await phase(target, child, () => closedLoop(users, Number(values.concurrency), go)) });
  }
  const client = results.get('client');
  const rate = values.rate ? Number(values.rate) : Math.min(1_000, Math.floor(0.8 * (client?.saturation.throughput ?? 0)));
  const final = new Map<Target, Result>();
  for (const [target, result] of results) {
    const steps = journeyFor(target, i18n);
    progress(`${target}: paced at ${rate} updates/s`);
    const users = await customers(target, Math.max(1, Math.round((rate * Number(values.seconds)) / steps.length)));
    const child = children.get(target) as ChildProcess;
    const paced = await phase(target, child, () =>
      pacedLoop(users, rate / steps.length, (u) => walk(tg, TOKENS[target], target, u, steps)),
    );
    final.set(target, { ...result, paced: { ...paced, rate } });
  }
  const ok = report(final.get('bare') as Result, final.get('client') as Result, {
    users: Number(values.users),
    concurrency: Number(values.concurrency),
  });
  process.exitCode = values.strict && !ok ? 1 : 0;
} finally {
  for (const child of children.values()) await stopChild(child);
  await emulator.close();
  const { Redis } = await import('ioredis');
  const redis = new Redis(config.REDIS_URL);
  const keys = await redis.keys(`${queuePrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
