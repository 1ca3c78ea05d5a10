import { bodyParser } from '@koa/bodyparser';
import type { Backoffice } from '@vpn/backoffice';
import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { Queue } from '@vpn/queues';
import type { Redis } from 'ioredis';
import Koa from 'koa';
import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import { createAuthenticator } from './auth/authenticate.js';
import { createSessions, type SessionTtl } from './auth/sessions.js';
import { createAccessTokens } from './auth/tokens.js';
import type { AppState } from './context.js';
import { ApiError, errorMiddleware } from './http/errors.js';
import { mountRoutes } from './http/mount.js';
import { openApiDocument } from './http/openapi.js';
import { queueBoard } from './http/queue-board.js';
import { createRateLimiter } from './http/rate-limit.js';
import { webMiddleware } from './http/web.js';
import type { RouteSpec } from './http/route.js';
import { adminRoutes } from './routes/admins.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import type { RouteDeps } from './routes/deps.js';
import { paymentRoutes } from './routes/payments.routes.js';
import { serverRoutes } from './routes/servers.routes.js';
import { userRoutes } from './routes/users.routes.js';

/** Everything the admin API needs, built by `main.ts` (or a test) and passed in. */
export interface AdminApiDeps {
  db: Pick<Database, 'repos' | 'transaction' | 'ping'>;
  backoffice: Backoffice;
  redis: Redis;
  /** Redis key prefix (rate limits), one per environment. */
  redisPrefix: string;
  logger: Logger;
  /** HMAC key of the access tokens (ADMIN_API_SECRET). */
  secret: string;
  ttl: SessionTtl;
  adminBotToken?: string;
  /** The admin bot's username (getMe, remembered) for the Login Widget. */
  widgetBot?: () => Promise<string | null>;
  trustProxy?: boolean;
  now?: () => Date;
  version?: string;
  /** The platform's job queues for Bull Board (owner and admin); absent = no board. */
  queues?: Queue[];
  /** The built dashboard (`web/dist`); absent = API only. */
  webRoot?: string;
}

/** Every route of the API, in the order the OpenAPI document lists them. */
export function allRoutes(deps: RouteDeps): RouteSpec[] {
  return [
    ...authRoutes(deps),
    ...userRoutes(deps),
    ...paymentRoutes(deps),
    ...serverRoutes(deps),
    ...adminRoutes(deps),
    ...auditRoutes(deps),
  ];
}

/**
 * The admin API apart from its listener (tests mount it on port 0). Middleware: request id and
 * logger → errors (one place) → JSON body (64 KiB at most) → routes → 404.
 */
export function createAdminApi(deps: AdminApiDeps) {
  const now = deps.now ?? (() => new Date());
  const tokens = createAccessTokens(deps.secret);
  const sessions = createSessions({ db: deps.db, tokens, ttl: deps.ttl, now });
  const routeDeps: RouteDeps = {
    db: deps.db,
    backoffice: deps.backoffice,
    sessions,
    authenticate: createAuthenticator({ db: deps.db, tokens, sessions, now }),
    rateLimiter: createRateLimiter(deps.redis, deps.redisPrefix),
    ttl: deps.ttl,
    now,
    ...(deps.adminBotToken ? { adminBotToken: deps.adminBotToken } : {}),
    ...(deps.widgetBot ? { widgetBot: deps.widgetBot } : {}),
  };
  const routes = allRoutes(routeDeps);
  const document = openApiDocument(routes, { version: deps.version ?? '1.0.0' });

  const app = new Koa<AppState>();
  if (deps.trustProxy) {
    app.proxy = true;
    app.maxIpsCount = 1;
  }
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.state.requestId = randomUUID();
    ctx.state.log = deps.logger.child({ requestId: ctx.state.requestId });
    ctx.set('X-Request-Id', ctx.state.requestId);
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  app.use(errorMiddleware(deps.logger));
  // Before the JSON body parser: the board parses its own requests.
  if (deps.queues)
    app.use(queueBoard({ queues: deps.queues, authenticate: routeDeps.authenticate, db: deps.db, title: `Queues · ${deps.redisPrefix}` }));
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '64kb', encoding: 'utf-8' }));
  const meta = new Router<AppState>();
  meta.get('/api/openapi.json', (ctx) => {
    ctx.body = document;
  });
  meta.get('/healthz', async (ctx) => {
    await deps.db.ping();
    await deps.redis.ping();
    ctx.body = { ok: true };
  });
  app.use(meta.routes());
  if (deps.webRoot) app.use(webMiddleware(deps.webRoot));
  const router = mountRoutes(routes, routeDeps);
  app.use(router.routes()).use(router.allowedMethods());
  app.use(() => {
    throw new ApiError(404, 'not_found', 'no such route');
  });
  return { app, routes, document, sessions };
}

export type AdminApi = ReturnType<typeof createAdminApi>;
