import Router from '@koa/router';
import { authorize } from '@vpn/backoffice';
import type { AppState } from '../context.js';
import type { Authenticate } from '../auth/authenticate.js';
import { ApiError } from './errors.js';
import { WRITE_RATE, type RateLimiter } from './rate-limit.js';
import { isWrite, type RouteSpec } from './route.js';

/**
 * A Koa router for `routes`. For each request, in order: sign-in (unless public) and CSRF on
 * writes → the role's permission (the admin bot's `authorize`) → the write rate limit → input
 * validated by the route's zod schemas → the handler. Nothing runs for a caller who may not.
 */
export function mountRoutes(
  routes: readonly RouteSpec[],
  deps: { authenticate: Authenticate; rateLimiter: RateLimiter },
): Router<AppState> {
  const router = new Router<AppState>();
  for (const spec of routes) {
    router[spec.method](spec.path, async (ctx) => {
      if (spec.access !== 'public') {
        const auth = await deps.authenticate(ctx, isWrite(spec));
        ctx.state.auth = auth;
        ctx.state.log = ctx.state.log.child({ adminId: auth.actor.adminId });
        if (spec.access !== 'signed-in') authorize(auth.actor, spec.access);
        if (isWrite(spec)) await deps.rateLimiter.hit('write', String(auth.actor.adminId), WRITE_RATE);
      }
      const input = {
        params: spec.params ? spec.params.parse(ctx.params) : {},
        query: spec.query ? spec.query.parse(ctx.query) : {},
        body: spec.body ? spec.body.parse((ctx.request as { body?: unknown }).body ?? {}) : undefined,
      };
      const result = await spec.handler(ctx as never, input);
      if (result !== undefined) {
        ctx.status = spec.status ?? 200;
        ctx.body = result;
      } else if (ctx.body === undefined) {
        ctx.status = 204;
      }
    });
  }
  return router;
}

export { ApiError };
