import { sameSecret, type AccessTokens } from './tokens.js';
import { ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, readCookie } from './cookies.js';
import type { Database } from '@vpn/db';
import type { AppContext, Auth } from '../context.js';
import { ApiError } from '../http/errors.js';
import type { Sessions } from './sessions.js';

/**
 * Who is calling: a Bearer access token (scripts) or the access cookie (the dashboard). The admin is
 * read fresh on every request, so a removed admin or a changed role counts at once, and the
 * sign-in must not be revoked (logout, a replayed refresh token). Cookie callers must echo the CSRF
 * cookie in `X-CSRF-Token` on every write: a cross-site form cannot read it.
 */
export function createAuthenticator(deps: { db: Pick<Database, 'repos'>; tokens: AccessTokens; sessions: Sessions; now: () => Date }) {
  return async function authenticate(ctx: AppContext, write: boolean): Promise<Auth> {
    const header = ctx.get('authorization');
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const token = bearer ?? readCookie(ctx, ACCESS_COOKIE);
    if (!token) throw new ApiError(401, 'unauthorized', 'sign in first');
    const claims = deps.tokens.verify(token, deps.now());
    if (!claims) throw new ApiError(401, 'unauthorized', 'the access token is invalid or expired; refresh it');
    const via = bearer ? 'bearer' : 'cookie';
    if (via === 'cookie' && write) {
      const cookie = readCookie(ctx, CSRF_COOKIE);
      const echoed = ctx.get(CSRF_HEADER);
      if (!cookie || !echoed || !sameSecret(cookie, echoed)) throw new ApiError(403, 'csrf', 'missing or wrong X-CSRF-Token header');
    }
    const [admin, active] = await Promise.all([
      deps.db.repos.admins.findActiveById(claims.adminId),
      deps.sessions.isActive(claims.familyId),
    ]);
    if (!admin || !active) throw new ApiError(401, 'unauthorized', 'this sign-in has ended; sign in again');
    return { actor: { kind: 'admin', adminId: admin.id, role: admin.role }, admin, familyId: claims.familyId, via };
  };
}

export type Authenticate = ReturnType<typeof createAuthenticator>;
