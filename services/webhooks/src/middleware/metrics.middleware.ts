import type { AppMiddleware } from '../context.js';
import type { WebhookMetrics } from '../metrics.js';

/**
 * Counts and times every request by route template (not raw path: `/webhooks/:provider`, so a
 * scanner hitting random URLs cannot create unbounded label values). Sits outside the error
 * middleware so it sees the final status.
 */
export function metricsMiddleware(metrics: WebhookMetrics): AppMiddleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const labels = { method: ctx.method, route: ctx.state.route ?? 'unmatched', status: String(ctx.status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
