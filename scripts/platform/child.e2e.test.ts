import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startService } from './child.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function pidsIn(file: string): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    const m = /pids (\d+) (\d+)/.exec(existsSync(file) ? readFileSync(file, 'utf8') : '');
    if (m) return [Number(m[1]), Number(m[2])];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the stubborn process never started');
}

describe('stopping a service stops everything it started', () => {
  it('kills the node process under tsx and its children, even when they ignore SIGTERM', async () => {
    const file = `/tmp/i18-stubborn-${Date.now()}.log`;
    const service = await startService(
      { name: 'stubborn', entry: 'scripts/platform/testing/stubborn.ts', env: { PATH: process.env.PATH ?? '' } },
      { mode: { file } },
    );
    const pids = await pidsIn(file);
    expect(pids.every(alive)).toBe(true);
    const started = Date.now();
    await service.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(pids.filter(alive)).toEqual([]);
    expect(alive(service.child.pid!)).toBe(false);
  });
});
