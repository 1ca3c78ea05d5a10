import Koa from 'koa';
import type { Logger } from '@vpn/logger';
import type { AppState } from './context.js';
import type { WebhookMetrics } from './metrics.js';
import { errorMiddleware } from './middleware/error.middleware.js';
import { metricsMiddleware } from './middleware/metrics.middleware.js';
import { requestContextMiddleware } from './middleware/request-context.middleware.js';
import type { EnqueueSettlement, NotificationStore, ProviderLookup } from './notifications/ports.js';
import { goLinkRoutes, type GoLinkRouteDeps } from './routes/go-link.route.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.route.js';
import { paymentWebhookRoutes } from './routes/payment-webhook.route.js';

/** Everything the HTTP app needs, built by `main.ts` (or a test) and passed in. */
export interface ServerDeps {
  logger: Logger;
  metrics: WebhookMetrics;
  providers: ProviderLookup;
  store: NotificationStore;
  enqueueSettlement: EnqueueSettlement;
  /** Readiness probes, e.g. PostgreSQL and Redis. */
  readiness: Record<string, ReadinessCheck>;
  /** A readiness check slower than this counts as down; default 2 s. */
  readinessTimeoutMs?: number;
  /** Take the client IP from the last X-Forwarded-For hop (one trusted proxy in front). */
  trustProxy?: boolean;
  bodyLimitBytes?: number;
  /** `GET /go/<token>` app-import pages; absent = route off. */
  goLinks?: GoLinkRouteDeps;
}

/**
 * The public webhooks app (payment notifications, `/go` pages), apart from its listener (tests mount it on port 0). Middleware order:
 * metrics (sees the final status) → error (one place turns errors into responses and a log line)
 * → request id + logger → routes (each route reads its own raw body, so GETs never buffer one).
 */
export function createServer(deps: ServerDeps): Koa<AppState> {
  const app = new Koa<AppState>();
  if (deps.trustProxy) {
    app.proxy = true;
    // Only the hop our own proxy appended: anything to its left was written by the client.
    app.maxIpsCount = 1;
  }
  // Koa would print errors to stderr itself; the error middleware already logged them.
  app.silent = true;
  app.use(metricsMiddleware(deps.metrics));
  app.use(errorMiddleware(deps.logger));
  app.use(requestContextMiddleware(deps.logger));

  const routers = [
    paymentWebhookRoutes({
      providers: deps.providers,
      store: deps.store,
      enqueueSettlement: deps.enqueueSettlement,
      metrics: deps.metrics,
      bodyLimitBytes: deps.bodyLimitBytes ?? 65_536,
    }),
    ...(deps.goLinks ? [goLinkRoutes(deps.goLinks)] : []),
  ];
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  app.use(notFound);
  return app;
}

const notFound = async (ctx: Koa.ParameterizedContext<AppState>): Promise<void> => {
  ctx.throw(404, 'no such route', { code: 'not_found' });
};

/**
 * The ops app, for `HEALTH_PORT` only: `/healthz`, `/readyz`, `/metrics`. Apart from the public
 * app because the public port faces the internet (providers post there) and metrics tell anyone
 * how many payments go through; compose does not publish the ops port.
 */
export function createOpsServer(deps: Pick<ServerDeps, 'logger' | 'metrics' | 'readiness' | 'readinessTimeoutMs'>): Koa<AppState> {
  const app = new Koa<AppState>();
  app.silent = true;
  app.use(errorMiddleware(deps.logger));
  app.use(requestContextMiddleware(deps.logger));
  const router = healthRoutes({
    checks: deps.readiness,
    metrics: deps.metrics,
    ...(deps.readinessTimeoutMs ? { checkTimeoutMs: deps.readinessTimeoutMs } : {}),
  });
  app.use(router.routes()).use(router.allowedMethods());
  app.use(notFound);
  return app;
}
