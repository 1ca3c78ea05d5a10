import Router from '@koa/router';
import { renderMetrics } from '@vpn/metrics';
import type { AppState } from '../context.js';
import type { WebhookMetrics } from '../metrics.js';

/** A dependency the service needs to do its job; resolves when reachable. */
export type ReadinessCheck = () => Promise<unknown>;

export interface HealthRouteDeps {
  /** e.g. `{ postgres: () => db.ping(), redis: () => redis.ping() }` */
  checks: Record<string, ReadinessCheck>;
  metrics: WebhookMetrics;
  /** A check slower than this counts as down (a hung connection must not hang the probe). */
  checkTimeoutMs?: number;
}

function withTimeout(check: ReadinessCheck, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * `GET /healthz`: the process is alive (no dependency touched, so a database outage does not get
 * the pod restarted). `GET /readyz`: PostgreSQL and Redis answer, else 503 naming what is down.
 * `GET /metrics`: Prometheus text format.
 */
export function healthRoutes(deps: HealthRouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const timeoutMs = deps.checkTimeoutMs ?? 2_000;
  router.get('/healthz', async (ctx) => {
    ctx.state.route = '/healthz';
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.state.route = '/readyz';
    const names = Object.keys(deps.checks);
    const results = await Promise.allSettled(names.map((n) => withTimeout(deps.checks[n]!, timeoutMs)));
    const checks: Record<string, 'ok' | 'down'> = {};
    results.forEach((r, i) => {
      checks[names[i]!] = r.status === 'fulfilled' ? 'ok' : 'down';
      if (r.status === 'rejected') ctx.state.log.warn({ check: names[i], err: String(r.reason) }, 'readiness check failed');
    });
    const ready = results.every((r) => r.status === 'fulfilled');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks };
  });
  router.get('/metrics', async (ctx) => {
    ctx.state.route = '/metrics';
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await renderMetrics(deps.metrics.registry);
  });
  return router;
}
