import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createShutdown } from './shutdown.js';
import { captureLogs } from './testing/index.js';

function setup(timeoutMs = 1_000) {
  const source = new EventEmitter();
  const exit = vi.fn();
  const { logger, lines } = captureLogs();
  const shutdown = createShutdown(logger, { source, exit, timeoutMs });
  return { source, exit, lines, shutdown };
}

describe('createShutdown', () => {
  it('runs the steps once, in reverse order, on the first signal, then exits 0', async () => {
    const { source, exit, shutdown } = setup();
    const order: string[] = [];
    shutdown.onShutdown('database', () => void order.push('database'));
    shutdown.onShutdown('bot', async () => {
      await new Promise((r) => setTimeout(r, 10));
      order.push('bot');
    });
    expect(source.listenerCount('SIGTERM')).toBe(1);
    source.emit('SIGTERM');
    await shutdown.shutdown('again');
    await shutdown.shutdown('and again');
    expect(order).toEqual(['bot', 'database']);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
    expect(source.listenerCount('SIGTERM') + source.listenerCount('SIGINT')).toBe(0);
  });

  it('runs the remaining steps after a failing one and exits 1', async () => {
    const { exit, shutdown, lines } = setup();
    const ran = vi.fn();
    shutdown.onShutdown('first', ran);
    shutdown.onShutdown('second', () => {
      throw new Error('cannot close');
    });
    await shutdown.shutdown('test');
    expect(ran).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines.some((l) => l.msg === 'shutdown step failed' && l.step === 'second')).toBe(true);
  });

  it('fail: closes everything like a signal, then exits 1 although every step succeeded', async () => {
    const { exit, shutdown, lines } = setup();
    const closed = vi.fn();
    shutdown.onShutdown('database', closed);
    await shutdown.fail('polling stopped', new Error('409 Conflict'));
    expect(closed).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines.find((l) => l.level === 60)).toMatchObject({ reason: 'polling stopped', err: { message: '409 Conflict' } });
  });

  it('gives up after the timeout', async () => {
    const { exit, shutdown, lines } = setup(50);
    shutdown.onShutdown('stuck', () => new Promise(() => undefined));
    await shutdown.shutdown('test');
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines.at(-1)?.msg).toBe('shutdown timed out');
  });

  it("exits 1 with a log line on the same signal twice (a second Ctrl+C), not by Node's default kill", async () => {
    const { source, exit, shutdown, lines } = setup();
    shutdown.onShutdown('slow', () => new Promise((r) => setTimeout(r, 30)));
    source.emit('SIGINT');
    // Still listened for: without a listener Node would terminate the process unlogged.
    expect(source.listenerCount('SIGINT')).toBe(1);
    source.emit('SIGINT');
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines.find((l) => l.msg === 'second signal during shutdown, exiting now')).toMatchObject({ level: 40, signal: 'SIGINT' });
    await shutdown.shutdown('wait');
    expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits at once on a second signal during shutdown', async () => {
    const { source, exit, shutdown } = setup();
    shutdown.onShutdown('slow', () => new Promise((r) => setTimeout(r, 30)));
    source.emit('SIGINT');
    expect(shutdown.isShuttingDown).toBe(true);
    source.emit('SIGTERM');
    expect(exit).toHaveBeenCalledWith(1);
    await shutdown.shutdown('wait');
  });
});
