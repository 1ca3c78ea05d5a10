import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from './health-server.js';

describe('startHealthServer', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 200 while every check passes', async () => {
    server = await startHealthServer(0, { postgres: async () => 1, redis: async () => 'PONG' }, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers 503 naming the failing dependency', async () => {
    server = await startHealthServer(0, { postgres: async () => 1, redis: () => Promise.reject(new Error('down')) }, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, failing: ['redis'] });
  });

  it('answers 404 elsewhere', async () => {
    server = await startHealthServer(0, {}, '127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status).toBe(404);
  });
});
