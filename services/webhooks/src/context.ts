import type Koa from 'koa';
import type { Logger } from '@vpn/logger';

/** What the middleware chain puts on `ctx.state` for the handlers after it. */
export interface AppState extends Koa.DefaultState {
  /** From a sane inbound `X-Request-Id`, or generated; echoed in the response. */
  requestId: string;
  /** A child logger carrying the request id, method and path. */
  log: Logger;
  /** The exact request bytes (signatures are computed over them, never over re-serialised JSON). */
  rawBody?: Buffer;
  /** The matched route template (`/webhooks/:provider`), for metrics labels without cardinality blow-up. */
  route?: string;
  /** When the notification route took the request (ms), for the acknowledgement latency (`performance.now()`). */
  receivedAt?: number;
}

export type AppContext = Koa.ParameterizedContext<AppState>;
export type AppMiddleware = Koa.Middleware<AppState>;
