import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookHarness, type WebhookHarness } from '../testing/webhook-harness.js';
import { appWithout, opsWithout, serve, type Served } from '../testing/serve.js';

// One behaviour: the probes tell alive from ready, and /metrics reports what the service did, all on the ops port.
let h: WebhookHarness;
let degraded: Served;
beforeAll(async () => {
  h = await startWebhookHarness();
  degraded = await serve(
    opsWithout({
      // A Redis that never answers (a hung connection): the probe must say so instead of hanging.
      readiness: { postgres: () => h.db.ping(), redis: () => new Promise(() => undefined) },
      readinessTimeoutMs: 200,
    }),
  );
});
afterAll(async () => {
  await degraded.close();
  await h.close();
});

describe('health, readiness and metrics, on the ops port only', () => {
  it('the public port serves none of them: 404 for /metrics, /healthz and /readyz', async () => {
    const pub = await serve(appWithout());
    try {
      for (const path of ['/metrics', '/healthz', '/readyz']) expect((await fetch(`${pub.url}${path}`)).status, path).toBe(404);
    } finally {
      await pub.close();
    }
    expect((await fetch(`${h.served.url}/metrics`)).status).toBe(404);
  });

  it('/healthz answers without touching dependencies', async () => {
    const res = await fetch(`${degraded.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 when PostgreSQL and Redis answer', async () => {
    const res = await fetch(`${h.ops.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('/readyz is 503 naming what is down', async () => {
    const res = await fetch(`${degraded.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', checks: { postgres: 'ok', redis: 'down' } });
  });

  it('/metrics counts requests by route template and status, and notifications by outcome', async () => {
    const { invoiceId } = await h.pendingPayment();
    h.cryptoPay.pay(invoiceId);
    await h.cryptoPay.idle();
    await fetch(`${h.served.url}/webhooks/nope`, { method: 'POST', body: '{}' });
    const text = await (await fetch(`${h.ops.url}/metrics`)).text();
    expect(text).toContain('http_requests_total{method="POST",route="/webhooks/:provider",status="200"} 1');
    expect(text).toContain('http_requests_total{method="POST",route="/webhooks/:provider",status="404"} 1');
    expect(text).toContain('payment_notifications_total{provider="cryptopay",outcome="accepted"} 1');
    expect(text).toContain('payment_notifications_total{provider="unknown",outcome="error"} 1');
    expect(text).toContain('http_request_duration_seconds_count{method="POST",route="/webhooks/:provider",status="200"} 1');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.005",method="POST"');
  });
});
