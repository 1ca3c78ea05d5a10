import { randomUUID } from 'node:crypto';
import type { Logger } from '@vpn/logger';
import type { AppMiddleware } from '../context.js';

/** Request ids we accept from a proxy: short and boring, so they cannot inject into logs. */
const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every request an id (the proxy's `X-Request-Id` when sane, else a new uuid), echoes it in
 * the response, and puts a child logger carrying it on `ctx.state.log`.
 */
export function requestContextMiddleware(logger: Logger): AppMiddleware {
  return async (ctx, next) => {
    const inbound = ctx.get('x-request-id');
    const requestId = SANE_ID.test(inbound) ? inbound : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    await next();
  };
}
