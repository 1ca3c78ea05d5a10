import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
const configEntry = join(import.meta.dirname, 'index.ts');

/** Runs `readEnv()` in a fresh process started in a folder with a `.env`; returns what it saw. */
async function readEnvIn(env: Record<string, string>): Promise<Record<string, string | undefined>> {
  const dir = mkdtempSync(join(tmpdir(), 'vpn-dotenv-process-'));
  writeFileSync(join(dir, '.env'), 'CLIENT_BOT_TOKEN=123456:from-dotenv-file\nLOG_LEVEL=debug\n');
  const script = join(dir, 'print.ts');
  writeFileSync(
    script,
    `import { readEnv } from ${JSON.stringify(configEntry)};\nconst e = readEnv();\nprocess.stdout.write(JSON.stringify({ token: e.CLIENT_BOT_TOKEN, level: e.LOG_LEVEL }));\n`,
  );
  const { stdout } = await run(tsx, [script], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } });
  return JSON.parse(stdout) as Record<string, string | undefined>;
}

describe('readEnv and .env, in a real process', () => {
  it('loads .env from the working directory; a variable set in the environment wins', { timeout: 30_000 }, async () => {
    expect(await readEnvIn({ LOG_LEVEL: 'warn' })).toEqual({ token: '123456:from-dotenv-file', level: 'warn' });
  });

  it('never reads .env in tests (VITEST or NODE_ENV=test)', { timeout: 30_000 }, async () => {
    expect(await readEnvIn({ VITEST: 'true' })).toEqual({});
    expect(await readEnvIn({ NODE_ENV: 'test' })).toEqual({});
  });
});
