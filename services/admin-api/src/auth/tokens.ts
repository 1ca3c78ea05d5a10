import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What an access token says: which admin, which sign-in, until when (seconds since the epoch). */
export interface AccessClaims {
  adminId: number;
  familyId: string;
  expiresAt: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/**
 * Short-lived access tokens: `base64url(claims).base64url(HMAC-SHA-256)`. They are checked without
 * a session read, but every request still loads the admin fresh (a removed admin is out at once)
 * and checks that the sign-in was not revoked (logout is immediate).
 */
export function createAccessTokens(secret: string) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  return {
    issue(claims: AccessClaims): string {
      const payload = b64(JSON.stringify({ a: claims.adminId, f: claims.familyId, e: claims.expiresAt }));
      return `${payload}.${b64(sign(payload))}`;
    },
    /** The claims, or null when forged, malformed or expired. */
    verify(token: string, now: Date): AccessClaims | null {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined || token.length > 512) return null;
      const given = Buffer.from(signature, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { a?: unknown; f?: unknown; e?: unknown };
        if (typeof raw.a !== 'number' || typeof raw.f !== 'string' || typeof raw.e !== 'number') return null;
        if (raw.e * 1000 <= now.getTime()) return null;
        return { adminId: raw.a, familyId: raw.f, expiresAt: raw.e };
      } catch {
        return null;
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;

/** An unguessable opaque token (refresh tokens, one-time codes, CSRF tokens). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** What the database keeps of an opaque token: its SHA-256, hex. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time string equality (CSRF header against cookie). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
