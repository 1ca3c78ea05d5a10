import { isBackofficeError, type BackofficeErrorCode } from '@vpn/backoffice';
import type { Logger } from '@vpn/logger';
import { ZodError } from 'zod';
import type { AppMiddleware } from '../context.js';

/** An answer a handler already knows: `throw new ApiError(401, 'unauthorized', 'sign in first')`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** How each back-office refusal reads over HTTP. */
const BACKOFFICE_STATUS: Record<BackofficeErrorCode, number> = {
  FORBIDDEN: 403,
  INVALID_INPUT: 422,
  NOT_FOUND: 404,
  NOT_ALLOWED: 409,
  PROVIDER_CANNOT: 409,
  PROVIDER_FAILED: 502,
  PANEL_FAILED: 502,
  DUPLICATE: 409,
};

/**
 * The one place errors become answers: `{ error, message, field?, details? }`. Refusals (bad input,
 * a role without the permission, a state that does not allow it) are 4xx with what to fix;
 * anything unexpected is a 500 without internals, logged with its stack.
 */
export function errorMiddleware(fallback: Logger): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const log = ctx.state.log ?? fallback;
      let status = 500;
      let body: Record<string, unknown> = { error: 'internal' };
      if (err instanceof ApiError) {
        status = err.status;
        body = { error: err.code, message: err.message };
        ctx.set(err.headers);
      } else if (err instanceof ZodError) {
        status = 422;
        const first = err.issues[0];
        body = {
          error: 'invalid_input',
          field: first?.path.join('.') || undefined,
          message: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        };
      } else if (isBackofficeError(err)) {
        status = BACKOFFICE_STATUS[err.code];
        body = { error: err.code.toLowerCase(), message: err.message, ...(err.field ? { field: err.field } : {}), details: err.details };
      } else if (typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 413) {
        status = 413;
        body = { error: 'payload_too_large', message: 'request body too large' };
      } else if (typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 400) {
        status = 400;
        body = { error: 'bad_request', message: 'malformed request body' };
      }
      ctx.status = status;
      ctx.body = body;
      const line = { status, code: body.error, method: ctx.method, path: ctx.path, adminId: ctx.state.auth?.actor.adminId };
      if (status >= 500) log.error({ ...line, err }, 'admin api request failed');
      else log.warn({ ...line, reason: body.message }, 'admin api request refused');
    }
  };
}
