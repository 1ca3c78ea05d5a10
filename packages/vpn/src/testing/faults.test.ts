import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorServer, type EmulatorServer } from './emulator-server.js';

let server: EmulatorServer;
let applied = 0;
beforeAll(async () => {
  server = await startEmulatorServer({
    routes: [
      { method: 'POST', path: '/apply', handler: () => ({ status: 200, json: { applied: ++applied } }) },
      { method: 'GET', path: '/read', handler: () => ({ status: 200, json: { applied } }) },
    ],
  });
});
afterAll(async () => server.close());

const call = (method: string, path: string, signal?: AbortSignal) => fetch(`${server.url}${path}`, { method, signal });

describe('fault injection', () => {
  it('fails only the next N matching requests, without applying them', async () => {
    server.faults.failNext(2, { status: 502, match: 'POST /apply' });
    expect((await call('GET', '/read')).status).toBe(200);
    expect((await call('POST', '/apply')).status).toBe(502);
    expect((await call('POST', '/apply')).status).toBe(502);
    expect(await (await call('POST', '/apply')).json()).toEqual({ applied: 1 });
    expect(server.requests.slice(-3).map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('delays a request, and a dropped answer still applies the change', async () => {
    server.faults.delayNext(1, 120, { match: /^GET/ });
    const started = Date.now();
    await call('GET', '/read');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    const before = applied;
    server.faults.dropResponseNext(1, { mode: 'hang', match: 'POST /apply' });
    await expect(call('POST', '/apply', AbortSignal.timeout(150))).rejects.toThrow();
    expect(applied).toBe(before + 1);
    expect(server.requests.at(-1)?.status).toBe('dropped');
    server.faults.dropResponseNext(1, { mode: 'reset' });
    await expect(call('POST', '/apply')).rejects.toThrow(/fetch failed/);
    expect(applied).toBe(before + 2);
  });

  it('refuses every connection while unavailable, and clear() brings it back', async () => {
    server.faults.setUnavailable(true);
    server.faults.failNext(5);
    await expect(call('GET', '/read')).rejects.toThrow(/fetch failed/);
    expect(server.countRequests('GET /read')).toBeGreaterThan(0);
    server.faults.clear();
    expect((await call('GET', '/read')).status).toBe(200);
  });
});
