/**
 * `pnpm --filter @vpn/bench bench:client`: the client bot against a bare grammY bot, in the same
 * run, on the same Telegram emulator. Each bot is its own process (so its memory is its own);
 * simulated customers walk the mixed journey of `journey.ts` concurrently.
 *
 * Options: --users N (default 400), --concurrency N (default 100), --strict (exit 1 when a
 * target is missed). Environment: DATABASE_URL, REDIS_URL (the client bot's schema is
 * `bench_client`, recreated every run).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseSchema, loadConfig, readEnv, redisSchema, z } from '@vpn/config';
import { createI18n } from '@vpn/i18n';
import { createEmulator, type Emulator } from '@vpn/telegram-emulator';
import { bundle, HOISTED_NODE_PATH } from './bundle.js';
import { countApiCalls, speedUpEmulatorWaits } from './fast-waits.js';
import type { ChildMessage, ChildStats } from './instrument.js';
import { journeyFor, walk, type Target } from './journey.js';
import { prepareDatabase, SCHEMA } from './prepare.js';
import { report, type Result } from './report.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '400' }, concurrency: { type: 'string', default: '100' }, strict: { type: 'boolean', default: false } } });
const USERS = Number(values.users);
const CONCURRENCY = Number(values.concurrency);
const config = loadConfig(z.object({ ...databaseSchema.shape, ...redisSchema.shape }));
const TOKENS: Record<Target, string> = { bare: '7300000001:BenchBareBotToken000000000000', client: '7300000002:BenchClientBotToken00000000000' };
const ENTRIES: Record<Target, string> = { bare: join(import.meta.dirname, 'bare-bot.ts'), client: join(import.meta.dirname, 'client-bot.ts') };

function startChild(target: Target, script: string, emulator: Emulator, queuePrefix: string): Promise<ChildProcess> {
  const env = {
    ...readEnv(),
    NODE_ENV: 'production',
    LOG_LEVEL: readEnv().BENCH_LOG_LEVEL ?? 'warn',
    BENCH_BOT_TOKEN: TOKENS[target],
    BENCH_API_ROOT: emulator.apiRoot,
    DATABASE_URL: config.DATABASE_URL,
    DATABASE_SCHEMA: SCHEMA,
    REDIS_URL: config.REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TELEGRAM_API_ROOT: emulator.apiRoot,
    CLIENT_BOT_TOKEN: TOKENS.client,
    BOT_MODE: 'polling',
    PAYMENT_PROVIDERS: 'stars',
    // Only printed into go links: the bench never pays, so nothing is sent there.
    PUBLIC_BASE_URL: 'https://vpn.bench.invalid',
    GO_LINK_SECRET: randomBytes(32).toString('hex'),
    NODE_PATH: HOISTED_NODE_PATH,
  };
  const profileDir = readEnv().BENCH_PROFILE_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const loader = readEnv().BENCH_NO_BUNDLE ? ['--import', 'tsx'] : [];
  const child = fork(script, [], { execArgv: [...loader, ...profile], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${target} bot exited (${code}) before it was ready`)));
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') resolve(child);
    });
  });
}

function stats(child: ChildProcess, reset = false): Promise<ChildStats> {
  return new Promise((resolve) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type !== 'stats') return;
      child.off('message', onMessage);
      resolve(m.stats);
    };
    child.on('message', onMessage);
    child.send({ type: 'stats', reset });
  });
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<number>): Promise<number> {
  let next = 0;
  let total = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const done = await fn(items[next++] as T);
        total += done;
      }
    }),
  );
  return total;
}

const progress = (what: string) => process.stderr.write(`bench: ${what}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(target: Target, emulator: Emulator, queuePrefix: string): Promise<Result> {
  const botId = Number(TOKENS[target].split(':')[0]);
  const tg = emulator.client;
  const steps = journeyFor(target, createI18n());
  progress(`${target}: bundling`);
  // BENCH_NO_BUNDLE=1 runs the TypeScript sources under tsx: slower to start and heavier, but a CPU
  // profile then names our files and packages instead of one bundle.
  const script = readEnv().BENCH_NO_BUNDLE ? ENTRIES[target] : await bundle(ENTRIES[target], `${target}-bot`);
  progress(`${target}: starting`);
  const child = await startChild(target, script, emulator, queuePrefix);
  progress(`${target}: started, idle for 2 s`);
  await sleep(2_000);
  const idle = await stats(child, true);
  const users = async (n: number) => Promise.all(Array.from({ length: n }, (_, i) => tg.createUser({ firstName: `${target}${i}`, languageCode: 'ru' })));
  // Warm-up: JIT, connection pools, prepared statements.
  await pool(await users(40), 20, (u) => walk(tg, TOKENS[target], target, u, steps));
  await stats(child, true);
  apiCalls.take(botId);
  progress(`${target}: warmed up, measuring`);
  const customers = await users(USERS);
  const started = performance.now();
  const cpuFrom = process.cpuUsage();
  const updates = await pool(customers, CONCURRENCY, (u) => walk(tg, TOKENS[target], target, u, steps));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuFrom);
  const harnessCpuMsPerUpdate = Math.round(((cpu.user + cpu.system) / 1000 / updates) * 100) / 100;
  const load = await stats(child);
  const calls = apiCalls.take(botId);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { target, updates, seconds, throughput: updates / seconds, idle, load, apiCalls: calls, harnessCpuMsPerUpdate };
}

const queuePrefix = `bench-client-${randomBytes(4).toString('hex')}`;
await prepareDatabase(config.DATABASE_URL);
const emulator = await createEmulator({ rateLimits: false, bots: [{ token: TOKENS.bare, username: 'bench_bare_bot' }, { token: TOKENS.client, username: 'bench_client_bot' }] });
speedUpEmulatorWaits(emulator);
const apiCalls = countApiCalls(emulator);
try {
  const bare = await measure('bare', emulator, queuePrefix);
  const client = await measure('client', emulator, queuePrefix);
  const ok = report(bare, client, { users: USERS, concurrency: CONCURRENCY });
  process.exitCode = values.strict && !ok ? 1 : 0;
} finally {
  await emulator.close();
  const { Redis } = await import('ioredis');
  const redis = new Redis(config.REDIS_URL);
  const keys = await redis.keys(`${queuePrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
