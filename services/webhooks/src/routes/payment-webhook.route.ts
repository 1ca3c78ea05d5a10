import Router from '@koa/router';
import type { AppState } from '../context.js';
import type { WebhookMetrics } from '../metrics.js';
import { acceptNotification, RejectedNotification, type AcceptDeps } from '../notifications/accept-notification.js';
import { rawBodyMiddleware } from '../middleware/raw-body.middleware.js';

export interface PaymentWebhookRouteDeps extends AcceptDeps {
  metrics: WebhookMetrics;
  bodyLimitBytes: number;
}

const ROUTE = '/webhooks/:provider';

/**
 * `POST /webhooks/:provider`: raw body → verify by the provider's adapter → store once → enqueue
 * settlement → acknowledge. Never calls a panel. `stars` is the client bot forwarding a
 * `successful_payment` Message, signed with HMAC(STARS_FORWARD_SECRET) in
 * `X-Stars-Forward-Signature` (checked by the Stars adapter), so Stars payments take exactly the
 * same store-once → settle path as every other provider.
 */
export function paymentWebhookRoutes(deps: PaymentWebhookRouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const label = (name: string) => (deps.providers.get(name) ? name : 'unknown');
  router.post(
    ROUTE,
    async (ctx, next) => {
      ctx.state.route = ROUTE;
      ctx.state.receivedAt = performance.now();
      await next();
    },
    rawBodyMiddleware(deps.bodyLimitBytes),
    async (ctx) => {
      const provider = ctx.params.provider ?? '';
      // Acknowledgement latency from the route taking the request (before the body is read), by outcome.
      const acked = (outcome: string) => {
        deps.metrics.notifications.inc({ provider: label(provider), outcome });
        deps.metrics.webhookAck.observe(
          { provider: label(provider), outcome },
          (performance.now() - (ctx.state.receivedAt ?? performance.now())) / 1e3,
        );
      };
      try {
        const ack = await acceptNotification(
          deps,
          provider,
          { rawBody: ctx.state.rawBody ?? Buffer.alloc(0), headers: ctx.headers, ip: ctx.ip },
          ctx.state.log,
        );
        acked(ack.outcome);
        ctx.status = ack.status;
        ctx.body = ack.body;
      } catch (err) {
        const outcome = err instanceof RejectedNotification && err.code !== 'not_found' && err.code !== 'unavailable' ? err.code : 'error';
        acked(outcome);
        throw err;
      }
    },
  );
  return router;
}
