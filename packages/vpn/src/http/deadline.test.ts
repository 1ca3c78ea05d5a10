import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PanelError } from '../adapter.js';
import { startEmulatorServer, type EmulatorServer } from '../testing/emulator-server.js';
import { deadlineRemainingMs, panelDeadline, withDeadline } from './deadline.js';
import { createHttpClient } from './http-client.js';
import { withRetry } from './retry.js';

let server: EmulatorServer;
beforeAll(async () => {
  server = await startEmulatorServer({
    routes: [
      {
        method: 'GET',
        path: '/slow',
        handler: () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, json: {} }), 1_500)),
      },
      { method: 'GET', path: '/fast', handler: () => ({ status: 200, json: { ok: true } }) },
    ],
  });
});
afterAll(async () => server.close());

describe('panel call deadline', () => {
  it('cuts a call to what is left of the budget, whatever its own timeout', async () => {
    const client = createHttpClient({ baseUrl: server.url, timeoutMs: 10_000 });
    const started = Date.now();
    const error = await panelDeadline(200)(() => client.request({ method: 'GET', path: '/slow' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PanelError);
    expect((error as PanelError).code).toBe('timeout');
    expect((error as PanelError).retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('sends nothing once the budget is spent, and calls outside a deadline are untouched', async () => {
    const client = createHttpClient({ baseUrl: server.url });
    const before = server.countRequests('GET /fast');
    const bounded = panelDeadline(30);
    await new Promise((r) => setTimeout(r, 50));
    await expect(bounded(() => client.request({ method: 'GET', path: '/fast' }))).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringContaining('not sent'),
    });
    expect(server.countRequests('GET /fast')).toBe(before);
    expect((await client.request({ method: 'GET', path: '/fast' })).status).toBe(200);
    expect(deadlineRemainingMs()).toBeUndefined();
  });

  it('stops retrying when the back-off would sleep past the deadline; the earlier of nested deadlines wins', async () => {
    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(new PanelError('unreachable', 'down'));
    };
    const started = Date.now();
    await expect(
      panelDeadline(100)(() => withRetry(failing, { attempts: 10, baseDelayMs: 400, maxDelayMs: 400, random: () => 0.99 })),
    ).rejects.toThrow('down');
    expect(attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(300);
    await withDeadline(Date.now() + 50, () =>
      withDeadline(Date.now() + 60_000, async () => {
        expect(deadlineRemainingMs()).toBeLessThanOrEqual(50);
      }),
    );
  });
});
