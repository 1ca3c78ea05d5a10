import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppMiddleware } from '../context.js';

/** The header a trusted internal sender (the client bot) proves itself with. */
export const FORWARD_SECRET_HEADER = 'x-forward-secret';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * For routes whose `:provider` is listed in `secrets`, requires the `X-Forward-Secret` header to
 * equal that provider's secret (compared in constant time over digests, so the length leaks
 * nothing either) before a byte of the body is read; 401 otherwise. A listed provider whose
 * secret is not configured is not served at all (404).
 */
export function sharedSecretMiddleware(secrets: Partial<Record<string, string | undefined>>): AppMiddleware {
  return async (ctx, next) => {
    const provider = String((ctx as { params?: Record<string, string> }).params?.provider ?? '');
    if (!(provider in secrets)) {
      await next();
      return;
    }
    const expected = secrets[provider];
    if (!expected) return ctx.throw(404, `${provider} forwarding is not configured`, { code: 'not_found' });
    const given = ctx.get(FORWARD_SECRET_HEADER);
    if (!given || !timingSafeEqual(digest(given), digest(expected))) {
      ctx.throw(401, 'missing or wrong forward secret', { code: 'forged' });
    }
    await next();
  };
}
