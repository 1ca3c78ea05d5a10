import { describe, expect, it } from 'vitest';
import { PanelError } from '../adapter.js';
import { backoffDelay, withRetry } from './retry.js';

const fast = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('withRetry', () => {
  it('retries retryable failures with growing, jittered delays and then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new PanelError('timeout', 'slow');
        return 'ok';
      },
      { ...fast, random: () => 0.5, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([50, 100]);
  });

  it('gives up after the configured attempts and rethrows the last error', async () => {
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw new PanelError('unreachable', `down ${calls}`);
      },
      { ...fast, sleep: async () => undefined },
    );
    await expect(run).rejects.toThrow('down 4');
    expect(calls).toBe(4);
  });

  it('does not retry errors that are not retryable, nor an open circuit', async () => {
    for (const error of [new PanelError('conflict', 'exists', { status: 409 }), new PanelError('circuit_open', 'open'), new Error('bug')]) {
      let calls = 0;
      await expect(
        withRetry(
          async () => {
            calls++;
            throw error;
          },
          { ...fast, sleep: async () => undefined },
        ),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('keeps full-jitter delays inside [0, min(max, base*2^n))', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const window = Math.min(1_000, 100 * 2 ** (attempt - 1));
      expect(backoffDelay(attempt, { ...fast, random: () => 0 })).toBe(0);
      expect(backoffDelay(attempt, { ...fast, random: () => 0.999999 })).toBe(window - 1);
    }
  });
});
