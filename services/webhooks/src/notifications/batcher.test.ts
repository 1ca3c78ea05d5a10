import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';

describe('createBatcher', () => {
  it('gives the calls of one turn one flush, each caller its own result, in order', async () => {
    const flushes: number[][] = [];
    const double = createBatcher<number, number>(async (items) => {
      flushes.push(items);
      return items.map((i) => i * 2);
    });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(flushes).toEqual([[1, 2, 3], [4]]);
  });

  it('splits a turn into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    const echo = createBatcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 2 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map(echo))).toEqual([1, 2, 3, 4, 5]);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('fails every caller of a batch whose flush fails or miscounts, and carries on', async () => {
    let mode: 'throw' | 'short' | 'ok' = 'throw';
    const call = createBatcher<number, number>(async (items) => {
      if (mode === 'throw') throw new Error('database down');
      return mode === 'short' ? items.slice(1) : items;
    });
    const failed = await Promise.allSettled([call(1), call(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    mode = 'short';
    await expect(Promise.all([call(1), call(2)])).rejects.toThrow('2 items');
    mode = 'ok';
    expect(await call(3)).toBe(3);
  });
});
