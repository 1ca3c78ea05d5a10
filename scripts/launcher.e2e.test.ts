import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const testDb = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vpn_test';

/** The sandbox launcher (`npm start`) on this test's ports and data dir, without a developer's .env. */
export function launcherEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    VITEST: 'true',
    DATABASE_URL: testDb,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: 't_i18_launcher',
    EMULATOR_PORT: '18830',
    PANEL_EMULATOR_PORT: '18831',
    PAYMENT_EMULATOR_PORT: '18832',
    WEBHOOKS_PORT: '18833',
    ADMIN_API_PORT: '18834',
    SANDBOX_DATA_DIR: mkdtempSync(join(tmpdir(), 'i18-sandbox-')),
    ...extra,
  };
}

/** Every descendant of `pid` now (pid → command line). */
function descendants(pid: number): Map<number, string> {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const found = new Map<number, string>();
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = rows.filter((r) => frontier.includes(r.ppid) && !found.has(r.pid));
    for (const r of next) found.set(r.pid, r.args);
    frontier = next.map((r) => r.pid);
  }
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('stopping the launcher while it starts', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s leaves no process it started behind, within a few seconds', async (signal) => {
    const launcher = spawn(tsx, [join(root, 'scripts/start.ts')], { cwd: root, env: launcherEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    launcher.stdout.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => launcher.once('exit', () => resolve()));
    // Remember every process under the launcher until the client bot is being started: the
    // moment the old launcher left the bot's node process running.
    const seen = new Map<number, string>();
    const deadline = Date.now() + 90_000;
    while (![...seen.values()].some((args) => args.includes('bots/client/src/main.ts'))) {
      if (Date.now() > deadline) throw new Error(`the client bot never started:\n${output}`);
      for (const [pid, args] of descendants(launcher.pid!)) seen.set(pid, args);
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const [pid, args] of descendants(launcher.pid!)) seen.set(pid, args);
    expect([...seen.values()].filter((a) => a.includes('main.ts')).length).toBeGreaterThanOrEqual(3);

    const stopAt = Date.now();
    launcher.kill(signal);
    await exited;
    // Everything it started is gone within a few seconds (tsx's own esbuild helper leaves as its
    // parent does, a moment later).
    while (Date.now() - stopAt < 12_000 && [...seen.keys()].some(alive)) await new Promise((r) => setTimeout(r, 100));
    const survivors = [...seen].filter(([pid]) => alive(pid)).map(([pid, args]) => `${pid} ${args}`);
    expect(survivors, output).toEqual([]);
  });
});

describe('the sandbox dashboard', () => {
  it('npm start prints a one-time link that signs the sandbox owner in to the dashboard it serves', async () => {
    const launcher = spawn(tsx, [join(root, 'scripts/start.ts')], { cwd: root, env: launcherEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    launcher.stdout.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => launcher.once('exit', () => resolve()));
    try {
      const deadline = Date.now() + 110_000;
      let link: string | undefined;
      while (!(link = /Web dashboard as the sandbox owner \(one-time link, 10 minutes\): (\S+)/.exec(output)?.[1])) {
        if (Date.now() > deadline || launcher.exitCode !== null) throw new Error(`no dashboard link:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:18834\/#code=[A-Za-z0-9_-]+$/);
      const page = await fetch(link.split('#')[0]!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"></div>');
      const code = link.split('#code=')[1]!;
      const signIn = await fetch('http://127.0.0.1:18834/api/auth/code', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      expect(signIn.status).toBe(200);
      expect(((await signIn.json()) as { admin: { role: string } }).admin.role).toBe('owner');
      // The link is a credential: it is on the terminal, in no log line.
      expect(output.split('\n').filter((l) => l.includes(code) && !l.startsWith('Web dashboard'))).toEqual([]);
    } finally {
      launcher.kill('SIGTERM');
      await exited;
    }
  });
});
