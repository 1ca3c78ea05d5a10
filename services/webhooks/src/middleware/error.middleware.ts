import type { Logger } from '@vpn/logger';
import type { AppMiddleware } from '../context.js';

/** An error thrown by a handler that already knows its HTTP answer (`ctx.throw(status, msg, { code })`). */
interface HttpLikeError {
  status: number;
  expose?: boolean;
  code?: string;
  message: string;
  headers?: Record<string, string>;
}

function isHttpError(err: unknown): err is HttpLikeError {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  503: 'unavailable',
};

/**
 * The one place errors become responses. A client error (4xx thrown with `ctx.throw`) answers its
 * status with `{ error: <code> }` and its message when exposable; anything else is a 500 with no
 * detail: internals (stack, SQL, provider replies) go to the log line, never to the caller.
 * Each failed request produces exactly one log line here (warn for 4xx, error for 5xx).
 */
export function errorMiddleware(fallbackLogger: Logger): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const log = ctx.state.log ?? fallbackLogger;
      const known = isHttpError(err) && err.status >= 400 && err.status < 600;
      const status = known ? err.status : 500;
      const code = (known && err.code) || DEFAULT_CODES[status] || (status >= 500 ? 'internal' : 'error');
      const expose = known && status < 500 && err.expose !== false;
      ctx.status = status;
      ctx.body = expose ? { error: code, message: err.message } : { error: status >= 500 ? 'internal' : code };
      if (known && err.headers) ctx.set(err.headers);
      const line = { status, code, method: ctx.method, route: ctx.state.route ?? ctx.path };
      if (status >= 500) log.error({ ...line, err }, 'request failed');
      else log.warn({ ...line, reason: known ? err.message : undefined }, 'request rejected');
    }
  };
}
