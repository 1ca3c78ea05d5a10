import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AppMiddleware } from '../context.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * The dashboard page allows only its own scripts and styles, and Telegram's Login Widget; it can
 * never be framed (clickjacking of a refund button).
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' https://telegram.org",
  'frame-src https://oauth.telegram.org',
  "img-src 'self' data: https://t.me https://*.telegram.org",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the built dashboard (`web/dist`) for every GET outside `/api`: a file when it exists,
 * else `index.html` (the page routes itself). Hashed assets are cached for a year, the page never.
 */
export function webMiddleware(root: string): AppMiddleware {
  const base = normalize(root) + sep;
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path.startsWith('/api/') || ctx.path === '/healthz') {
      await next();
      return;
    }
    const wanted = normalize(join(base, decodeURIComponent(ctx.path)));
    // `..` in the path must not climb out of the bundle.
    const file = wanted.startsWith(base) && extname(wanted) !== '' ? wanted : join(base, 'index.html');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      await next(); // not built, or no such asset: the 404 below answers
      return;
    }
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-store');
    ctx.type = TYPES[extname(file)] ?? 'application/octet-stream';
    ctx.body = body;
  };
}
