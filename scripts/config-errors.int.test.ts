import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

// Every entry point an operator starts, and the bad keys of `badEnv` it reads; each must turn a
// bad environment into a readable list.
const all = ['LOG_LEVEL', 'DATABASE_URL', 'ENCRYPTION_KEY'];
const entries: [string, string[]][] = [
  ['scripts/migrate.ts', all],
  ['scripts/start.ts', all],
  ['scripts/sandbox-chat.ts', ['LOG_LEVEL']],
  ['services/worker/src/main.ts', all],
  ['services/webhooks/src/main.ts', all],
  ['bots/client/src/main.ts', all],
  ['packages/telegram-emulator/src/main.ts', ['LOG_LEVEL']],
];

/** A bad environment and nothing else from ours (VITEST keeps a developer's .env out). */
const badEnv = {
  PATH: process.env.PATH,
  VITEST: 'true',
  LOG_LEVEL: 'loud',
  DATABASE_URL: 'mysql://x',
  ENCRYPTION_KEY: 'short',
};

describe('a bad environment, as an operator sees it', () => {
  it.each(entries)('%s prints the list of bad keys on stderr (no stack, no JSON) and exits 1', { timeout: 60_000 }, async (entry, keys) => {
    const result = await run(tsx, [join(root, entry)], { cwd: root, env: badEnv, timeout: 45_000 }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    const reported = lines.map((l) => /^ {2}- ([A-Z_]+): /.exec(l)?.[1]).filter(Boolean);
    expect(reported).toEqual(expect.arrayContaining(keys));
    expect(lines).toContain('  - LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"');
    if (keys.includes('DATABASE_URL')) expect(lines).toContain('  - DATABASE_URL: must be a postgres:// URL');
    if (keys.includes('ENCRYPTION_KEY')) {
      expect(lines).toContain('  - ENCRYPTION_KEY: must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)');
    }
    for (const line of lines) expect(line).toMatch(/^(Invalid configuration:| {2}- [A-Z_]+: .+)$/);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+\)?$|\\n|^\{/m);
    expect(result.stdout).toBe('');
  });
});
