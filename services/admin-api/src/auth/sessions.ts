import { randomUUID } from 'node:crypto';
import { LOGIN_CODE_TTL_SECONDS, type Admin, type Database } from '@vpn/db';
import { randomToken, tokenHash, type AccessTokens } from './tokens.js';

export interface SessionTtl {
  accessSeconds: number;
  refreshSeconds: number;
}

/** What a sign-in or a refresh hands out (the refresh token is shown once, kept only as a hash). */
export interface IssuedTokens {
  access: string;
  refresh: string;
  csrf: string;
  familyId: string;
}

export type RefreshResult =
  { ok: true; tokens: IssuedTokens; adminId: number } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'replayed' | 'inactive' };

/**
 * Sign-ins of the web dashboard: start one, rotate its refresh token, end it. A refresh token is
 * single-use; using one twice revokes the whole sign-in (see the admin_sessions migration).
 */
export function createSessions(deps: { db: Pick<Database, 'repos'>; tokens: AccessTokens; ttl: SessionTtl; now: () => Date }) {
  const { db, tokens, ttl, now } = deps;
  const accessFor = (adminId: number, familyId: string) =>
    tokens.issue({ adminId, familyId, expiresAt: Math.floor(now().getTime() / 1000) + ttl.accessSeconds });
  const refreshExpiry = () => new Date(now().getTime() + ttl.refreshSeconds * 1000);

  return {
    async start(admin: Admin, userAgent: string | null): Promise<IssuedTokens> {
      const familyId = randomUUID();
      const refresh = randomToken();
      await db.repos.adminSessions.start({
        adminId: admin.id,
        familyId,
        tokenHash: tokenHash(refresh),
        expiresAt: refreshExpiry(),
        userAgent,
      });
      return { access: accessFor(admin.id, familyId), refresh, csrf: randomToken(24), familyId };
    },

    async refresh(refreshToken: string): Promise<RefreshResult> {
      const refresh = randomToken();
      const outcome = await db.repos.adminSessions.rotate(
        tokenHash(refreshToken),
        { tokenHash: tokenHash(refresh), expiresAt: refreshExpiry() },
        now(),
      );
      if (outcome.kind !== 'rotated') return { ok: false, reason: outcome.kind };
      const { adminId, familyId } = outcome.session;
      const admin = await db.repos.admins.findActiveById(adminId);
      if (!admin) {
        await db.repos.adminSessions.revokeFamily(familyId, now());
        return { ok: false, reason: 'inactive' };
      }
      return { ok: true, adminId, tokens: { access: accessFor(adminId, familyId), refresh, csrf: randomToken(24), familyId } };
    },

    end(familyId: string): Promise<number> {
      return db.repos.adminSessions.revokeFamily(familyId, now());
    },

    isActive(familyId: string): Promise<boolean> {
      return db.repos.adminSessions.isFamilyActive(familyId);
    },

    /** A one-time sign-in code for `admin`, valid for ten minutes. */
    issueCode(adminId: number): Promise<string> {
      return db.repos.adminSessions.createLoginCode(adminId, new Date(now().getTime() + LOGIN_CODE_TTL_SECONDS * 1000));
    },

    /** The admin a code signs in, once; null when unknown, used or expired. */
    redeemCode(code: string): Promise<number | null> {
      return db.repos.adminSessions.redeemLoginCode(code, now());
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
