import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './index.js';
import { lazyChild } from './lazy-child.js';

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ name: 'lazy', level, destination });
  return { logger, lines, child: vi.spyOn(logger, 'child') };
}

describe('lazyChild', () => {
  it('makes the child on the first line written at an enabled level, once, with its bindings', async () => {
    const { logger, lines, child } = capture('info');
    let asked = 0;
    const log = lazyChild(logger, () => ({ jobId: '7', asked: ++asked }));
    log.debug('not written');
    expect(child).not.toHaveBeenCalled();
    log.info('one');
    log.error({ token: 'secret' }, 'two');
    await new Promise((r) => setImmediate(r));
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l.msg, l.jobId, l.asked, l.token])).toEqual([
      ['one', '7', 1, undefined],
      ['two', '7', 1, '[REDACTED]'],
    ]);
  });

  it('passes child() through to the real child and keeps the parent level', () => {
    const { logger } = capture('warn');
    const log = lazyChild(logger, () => ({ a: 1 }));
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.child({ b: 2 }).bindings()).toMatchObject({ a: 1, b: 2 });
  });
});
