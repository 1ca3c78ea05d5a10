import type { AppContext } from '../context.js';

export const ACCESS_COOKIE = 'vpn_access';
export const REFRESH_COOKIE = 'vpn_refresh';
/** Readable by the page's script, which echoes it in `X-CSRF-Token` (double submit). */
export const CSRF_COOKIE = 'vpn_csrf';
export const CSRF_HEADER = 'x-csrf-token';

interface CookieSpec {
  value: string;
  maxAgeSeconds: number;
  path: string;
  httpOnly: boolean;
}

/**
 * Written by hand rather than with `ctx.cookies`: Koa refuses `Secure` cookies on a plain-HTTP
 * connection, yet the API always sits behind the TLS proxy (and browsers accept Secure cookies
 * from http://localhost, which is what the sandbox and the browser tests use).
 */
function serialize(name: string, spec: CookieSpec): string {
  return [
    `${name}=${spec.value}`,
    `Path=${spec.path}`,
    `Max-Age=${spec.maxAgeSeconds}`,
    'Secure',
    'SameSite=Strict',
    ...(spec.httpOnly ? ['HttpOnly'] : []),
  ].join('; ');
}

export function setSessionCookies(
  ctx: AppContext,
  tokens: { access: string; refresh: string; csrf: string },
  ttl: { accessSeconds: number; refreshSeconds: number },
): void {
  ctx.append(
    'Set-Cookie',
    serialize(ACCESS_COOKIE, { value: tokens.access, maxAgeSeconds: ttl.accessSeconds, path: '/api', httpOnly: true }),
  );
  ctx.append(
    'Set-Cookie',
    serialize(REFRESH_COOKIE, { value: tokens.refresh, maxAgeSeconds: ttl.refreshSeconds, path: '/api/auth', httpOnly: true }),
  );
  ctx.append('Set-Cookie', serialize(CSRF_COOKIE, { value: tokens.csrf, maxAgeSeconds: ttl.refreshSeconds, path: '/', httpOnly: false }));
}

export function clearSessionCookies(ctx: AppContext): void {
  ctx.append('Set-Cookie', serialize(ACCESS_COOKIE, { value: '', maxAgeSeconds: 0, path: '/api', httpOnly: true }));
  ctx.append('Set-Cookie', serialize(REFRESH_COOKIE, { value: '', maxAgeSeconds: 0, path: '/api/auth', httpOnly: true }));
  ctx.append('Set-Cookie', serialize(CSRF_COOKIE, { value: '', maxAgeSeconds: 0, path: '/', httpOnly: false }));
}

/** A cookie's value from the request (our cookies hold base64url only, so no decoding). */
export function readCookie(ctx: AppContext, name: string): string | undefined {
  const header = ctx.get('cookie');
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
