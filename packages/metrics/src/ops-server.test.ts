import { afterEach, describe, expect, it } from 'vitest';
import { startOpsServer, type OpsServer } from './ops-server.js';
import { metrics, onScrape } from './registry.js';

describe('startOpsServer', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 200 while every check passes', async () => {
    server = await startOpsServer(0, { postgres: async () => 1, redis: async () => 'PONG' }, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers 503 naming the failing dependency', async () => {
    server = await startOpsServer(0, { postgres: async () => 1, redis: () => Promise.reject(new Error('down')) }, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, failing: ['redis'] });
  });

  it('serves /metrics after refreshing gauges; a failing reader leaves the scrape whole', async () => {
    const off = onScrape('test', async () => metrics.subscriptionsActive.set(42));
    const offBroken = onScrape('broken', () => Promise.reject(new Error('database down')));
    try {
      server = await startOpsServer(0, {}, '127.0.0.1');
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toMatch(/^subscriptions_active 42$/m);
      expect(text).toContain('# TYPE bot_updates_total counter');
    } finally {
      off();
      offBroken();
    }
  });

  it('answers 404 elsewhere', async () => {
    server = await startOpsServer(0, {}, '127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(404);
  });
});
