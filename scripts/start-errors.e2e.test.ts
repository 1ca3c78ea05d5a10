import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const testDb = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vpn_test';

/** `.env.example` as an operator copies it: its KEY=value lines, comments and empty values skipped. */
const envExample = Object.fromEntries(
  readFileSync(join(root, '.env.example'), 'utf8')
    .split('\n')
    .map((l) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
    // A copied .env's empty values behave like unset keys (see readEnv).
    .filter((m): m is RegExpExecArray => m !== null && m[2] !== '')
    .map((m) => [m[1]!, m[2]!]),
) as Record<string, string>;

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // Keeps a developer's own .env out; the keys of .env.example are passed instead.
    VITEST: 'true',
    DATABASE_URL: testDb,
    QUEUE_PREFIX: 't_i18_starterr',
    EMULATOR_PORT: '18850',
    PANEL_EMULATOR_PORT: '18851',
    PAYMENT_EMULATOR_PORT: '18852',
    WEBHOOKS_PORT: '18853',
    SANDBOX_DATA_DIR: mkdtempSync(join(tmpdir(), 'i18-starterr-')),
    ...extra,
  };
}

/** Runs `npm start`'s launcher until it exits; it must fail with one readable line. */
async function failedStart(extra: Record<string, string>): Promise<string> {
  const result = await run(tsx, [join(root, 'scripts/start.ts')], { cwd: root, env: env(extra), timeout: 60_000 }).then(
    () => ({ code: 0, stdout: '', stderr: '' }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  expect(result.code).toBe(1);
  const out = `${result.stdout}${result.stderr}`;
  // No stack trace, no JSON error object: one line says what is wrong and what to do.
  expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(out).not.toMatch(/"stack"|err: \{|^\s*\{/m);
  const line = out.split('\n').find((l) => l.includes('the platform did not start'));
  expect(line, out).toBeDefined();
  return line!;
}

describe('npm start: every start-up failure is one readable message', () => {
  it('a PostgreSQL user that does not exist (as the old .env.example had it)', async () => {
    const line = await failedStart({ DATABASE_URL: 'postgres://vpn:vpn@127.0.0.1:5432/vpn' });
    expect(line).toContain('PostgreSQL at 127.0.0.1:5432 has no user "vpn"');
    expect(line).toContain('Set DATABASE_URL');
  });

  it('PostgreSQL that cannot be reached', async () => {
    const line = await failedStart({ DATABASE_URL: 'postgres://postgres@127.0.0.1:18859/vpn' });
    expect(line).toContain('PostgreSQL is not reachable at 127.0.0.1:18859 (ECONNREFUSED)');
  });

  it('Redis that cannot be reached', async () => {
    const line = await failedStart({ REDIS_URL: 'redis://127.0.0.1:18858' });
    expect(line).toContain('Redis is not reachable at 127.0.0.1:18858');
    expect(line).toContain('REDIS_URL');
  });

  it('a sandbox port that is taken names the setting to change', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(18850, '127.0.0.1', resolve));
    try {
      const line = await failedStart({});
      expect(line).toContain('port 18850 on 127.0.0.1 is already in use');
      expect(line).toContain('set EMULATOR_PORT to a free port');
    } finally {
      blocker.close();
    }
  });
});

describe('npm itself', () => {
  it('prints no warning about unknown config (pnpm settings live in pnpm-workspace.yaml)', async () => {
    const { stderr } = await run('npm', ['pkg', 'get', 'name'], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    expect(stderr).toBe('');
  });
});

describe('.env.example copied as it is', () => {
  it('leaves the local database defaults alone and does not force production on `npm start`', () => {
    expect(envExample.DATABASE_URL).toBeUndefined();
    expect(envExample.NODE_ENV).toBeUndefined();
    expect(envExample.CLIENT_BOT_TOKEN).toBeUndefined();
  });

  it('runs the sandbox, which says which of its settings it replaces', async () => {
    // NODE_ENV=production as an operator may still have it, plus everything .env.example sets.
    const launcher = spawn(tsx, [join(root, 'scripts/start.ts')], {
      cwd: root,
      env: env({ ...envExample, NODE_ENV: 'production', BOT_MODE: 'webhook' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    launcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
    launcher.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', resolve));
    try {
      const deadline = Date.now() + 100_000;
      while (!out.includes('sandbox is up')) {
        if (Date.now() > deadline || launcher.exitCode !== null) throw new Error(`the sandbox did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const notice = out.split('\n').findIndex((l) => l.includes('sandbox mode replaces these settings'));
      expect(notice, out).toBeGreaterThanOrEqual(0);
      const listed = out
        .split('\n')
        .slice(notice, notice + 20)
        .join('\n');
      for (const key of ['BOT_MODE', 'NODE_ENV', 'PAYMENT_PROVIDERS', 'PUBLIC_BASE_URL']) expect(listed).toContain(key);
      expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    } finally {
      launcher.kill('SIGTERM');
      await exited;
    }
  });
});
