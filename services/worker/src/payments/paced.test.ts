import { describe, expect, it } from 'vitest';
import { createProviderPacer } from './paced.js';

describe('provider pacer', () => {
  it('reads each provider at most `concurrency` at once and `perSecond` starts a second, the providers side by side', async () => {
    const pacer = createProviderPacer((p) => (p === 'slow' ? { concurrency: 2, perSecond: 50 } : { concurrency: 4, perSecond: 100_000 }));
    const inFlight = new Map<string, number>();
    const most = new Map<string, number>();
    const starts: number[] = [];
    const done: string[] = [];
    const items = [...Array.from({ length: 6 }, () => 'slow'), ...Array.from({ length: 8 }, () => 'fast')];
    await pacer.forEach(
      items,
      (p) => p,
      async (p) => {
        if (p === 'slow') starts.push(performance.now());
        inFlight.set(p, (inFlight.get(p) ?? 0) + 1);
        most.set(p, Math.max(most.get(p) ?? 0, inFlight.get(p)!));
        // A slow read outlasts the spacing of starts, so reads overlap up to the concurrency.
        await new Promise((r) => setTimeout(r, p === 'slow' ? 50 : 5));
        inFlight.set(p, inFlight.get(p)! - 1);
        done.push(p);
      },
    );
    expect(most.get('slow')).toBe(2);
    expect(most.get('fast')).toBe(4);
    // Six starts at 50 a second span at least 5 × 20 ms (a lower bound: a busy machine only adds to it).
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(95);
    // The fast provider did not wait for the slow one.
    expect(done.lastIndexOf('fast')).toBeLessThan(done.lastIndexOf('slow'));
  });

  it('bounds a provider across callers: work handed over before earlier work is done shares the same slots', async () => {
    const pacer = createProviderPacer(() => ({ concurrency: 2, perSecond: 100_000 }));
    let inFlight = 0;
    let most = 0;
    const read = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
    };
    const page = Array.from({ length: 5 }, () => 'yookassa');
    await Promise.all([pacer.forEach(page, (p) => p, read), pacer.forEach(page, (p) => p, read)]);
    expect(most).toBe(2);
  });
});
