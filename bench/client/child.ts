/** Starting a bench bot as its own process and asking it for its figures over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEnv } from '@vpn/config';
import type { Emulator } from '@vpn/telegram-emulator';
import { HOISTED_NODE_PATH } from './bundle.js';
import type { ChildMessage, ChildStats } from './instrument.js';
import type { Target } from './journey.js';
import { SCHEMA } from './prepare.js';

export const TOKENS: Record<Target, string> = {
  bare: '7300000001:BenchBareBotToken000000000000',
  client: '7300000002:BenchClientBotToken00000000000',
};

export interface ChildOptions {
  emulator: Emulator;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
}

/**
 * The Node flags the client bot runs with in production: those of `start:prod` in its
 * package.json (the heap limit that keeps its resident memory in bounds), so the bench measures
 * the process as it is deployed.
 */
export function productionNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'bots', 'client', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (manifest.scripts['start:prod'] ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}

/** Forks `script` (a bundle, or TypeScript under tsx with BENCH_NO_BUNDLE) and waits for it to say it is polling. */
export function startChild(target: Target, script: string, options: ChildOptions): Promise<ChildProcess> {
  const bench = readEnv();
  const env = {
    ...bench,
    NODE_ENV: 'production',
    LOG_LEVEL: bench.BENCH_LOG_LEVEL ?? 'warn',
    BENCH_BOT_TOKEN: TOKENS[target],
    BENCH_API_ROOT: options.emulator.apiRoot,
    DATABASE_URL: options.databaseUrl,
    DATABASE_SCHEMA: SCHEMA,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.queuePrefix,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    TELEGRAM_API_ROOT: options.emulator.apiRoot,
    CLIENT_BOT_TOKEN: TOKENS.client,
    BOT_MODE: 'polling',
    PAYMENT_PROVIDERS: 'stars',
    // Only printed into go links: the bench never pays, so nothing is sent there.
    PUBLIC_BASE_URL: 'https://vpn.bench.invalid',
    GO_LINK_SECRET: randomBytes(32).toString('hex'),
    NODE_PATH: HOISTED_NODE_PATH,
  };
  const profile = bench.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${bench.BENCH_PROFILE_DIR}`] : [];
  const loader = bench.BENCH_NO_BUNDLE ? ['--import', 'tsx'] : [];
  // BENCH_NODE_FLAGS replaces the production flags, to try others.
  const flags =
    target === 'bare'
      ? []
      : bench.BENCH_NODE_FLAGS !== undefined
        ? bench.BENCH_NODE_FLAGS.split(' ').filter(Boolean)
        : productionNodeFlags();
  const child = fork(script, [], { execArgv: [...loader, ...profile, ...flags], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${target} bot exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on('message', (m: ChildMessage) => {
      if (m.type !== 'ready') return;
      child.off('exit', onExit);
      resolve(child);
    });
  });
}

/** The child's figures since the last reset; `reset` starts a new period. */
export function stats(child: ChildProcess, reset = false): Promise<ChildStats> {
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

export async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
