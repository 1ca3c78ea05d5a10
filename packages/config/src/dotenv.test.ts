import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotEnvCandidates, isTestProcess, loadDotEnv } from './dotenv.js';

function workspace(): { root: string; pkg: string } {
  const root = mkdtempSync(join(tmpdir(), 'vpn-dotenv-'));
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages: []\n');
  const pkg = join(root, 'services', 'worker');
  mkdirSync(pkg, { recursive: true });
  return { root, pkg };
}

describe('.env loading', () => {
  it('looks in the working directory, then at the workspace root', () => {
    const { root, pkg } = workspace();
    expect(dotEnvCandidates(pkg)).toEqual([join(pkg, '.env'), join(root, '.env')]);
    expect(dotEnvCandidates(root)).toEqual([join(root, '.env')]);
  });

  it('fills in only what the real environment does not set, from the first file that exists', () => {
    const { root, pkg } = workspace();
    writeFileSync(join(root, '.env'), '# operator settings\nCLIENT_BOT_TOKEN=123:from-file\nLOG_LEVEL=debug\nQUOTED="a b"\n');
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'warn', EMPTY: '' };
    expect(loadDotEnv(dotEnvCandidates(pkg), env)).toBe(join(root, '.env'));
    expect(env).toEqual({ LOG_LEVEL: 'warn', EMPTY: '', CLIENT_BOT_TOKEN: '123:from-file', QUOTED: 'a b' });
  });

  it('prefers the working directory file and loads nothing when there is no file', () => {
    const { root, pkg } = workspace();
    const env: NodeJS.ProcessEnv = {};
    expect(loadDotEnv(dotEnvCandidates(pkg), env)).toBeUndefined();
    expect(env).toEqual({});
    writeFileSync(join(root, '.env'), 'A=root\n');
    writeFileSync(join(pkg, '.env'), 'A=package\n');
    expect(loadDotEnv(dotEnvCandidates(pkg), env)).toBe(join(pkg, '.env'));
    expect(env.A).toBe('package');
  });

  it('treats vitest workers and NODE_ENV=test processes as tests', () => {
    expect(isTestProcess({ VITEST: 'true' })).toBe(true);
    expect(isTestProcess({ NODE_ENV: 'test' })).toBe(true);
    expect(isTestProcess({ NODE_ENV: 'development' })).toBe(false);
    expect(isTestProcess({})).toBe(false);
  });
});
