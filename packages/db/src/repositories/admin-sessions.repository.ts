import { createHash, randomBytes } from 'node:crypto';
import { inTx, queryOne, queryRows, type RepoDeps, type TxOptions } from './base.js';

/** One refresh token of an admin's web sign-in (only its hash is stored). */
export interface AdminSession {
  id: string;
  adminId: number;
  familyId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  userAgent: string | null;
  createdAt: Date;
}

/** What presenting a refresh token led to. */
export type RotateOutcome =
  | { kind: 'rotated'; session: AdminSession }
  | { kind: 'unknown' }
  | { kind: 'expired' }
  | { kind: 'revoked' }
  /** The token had already been rotated: it was copied. Its whole family is now revoked. */
  | { kind: 'replayed'; adminId: number };

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** One-time sign-in codes live this long unless the caller says otherwise. */
export const LOGIN_CODE_TTL_SECONDS = 600;

export function createAdminSessionsRepository({ sequelize }: RepoDeps) {
  const insert = (
    input: { adminId: number; familyId: string; tokenHash: string; expiresAt: Date; userAgent?: string | null },
    opts: TxOptions,
  ) =>
    queryOne<AdminSession>(
      sequelize,
      `INSERT INTO admin_sessions (admin_id, family_id, token_hash, expires_at, user_agent) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, admin_id, family_id, expires_at, rotated_at, revoked_at, user_agent, created_at`,
      [input.adminId, input.familyId, input.tokenHash, input.expiresAt, input.userAgent?.slice(0, 300) ?? null],
      opts,
    );

  const revokeFamily = async (familyId: string, now: Date, opts: TxOptions = {}): Promise<number> => {
    const rows = await queryRows(
      sequelize,
      `UPDATE admin_sessions SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL RETURNING id`,
      [familyId, now],
      opts,
    );
    return rows.length;
  };

  return {
    /** A new sign-in: the first token of a new family. */
    async start(
      input: { adminId: number; familyId: string; tokenHash: string; expiresAt: Date; userAgent?: string | null },
      opts: TxOptions = {},
    ): Promise<AdminSession> {
      return (await insert(input, opts))!;
    },

    /**
     * Exchanges the token with `oldHash` for one with `newHash`, atomically: the old row is locked,
     * so two refreshes racing with the same token give one success and one replay.
     */
    async rotate(oldHash: string, next: { tokenHash: string; expiresAt: Date }, now: Date, opts: TxOptions = {}): Promise<RotateOutcome> {
      return inTx(sequelize, opts, async (transaction) => {
        const row = await queryOne<AdminSession>(
          sequelize,
          `SELECT id, admin_id, family_id, expires_at, rotated_at, revoked_at, user_agent, created_at
             FROM admin_sessions WHERE token_hash = $1 FOR UPDATE`,
          [oldHash],
          { transaction },
        );
        if (!row) return { kind: 'unknown' };
        if (row.revokedAt) return { kind: 'revoked' };
        if (row.rotatedAt) {
          await revokeFamily(row.familyId, now, { transaction });
          return { kind: 'replayed', adminId: row.adminId };
        }
        if (row.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
        await queryRows(sequelize, `UPDATE admin_sessions SET rotated_at = $2 WHERE id = $1 RETURNING id`, [row.id, now], { transaction });
        const session = await insert(
          { adminId: row.adminId, familyId: row.familyId, tokenHash: next.tokenHash, expiresAt: next.expiresAt, userAgent: row.userAgent },
          { transaction },
        );
        return { kind: 'rotated', session: session! };
      });
    },

    /** Whether the family a session belongs to is still signed in (access tokens check this). */
    async isFamilyActive(familyId: string, opts: TxOptions = {}): Promise<boolean> {
      const row = await queryOne<{ active: boolean }>(
        sequelize,
        `SELECT EXISTS (SELECT 1 FROM admin_sessions WHERE family_id = $1 AND revoked_at IS NULL AND rotated_at IS NULL) AS active`,
        [familyId],
        opts,
      );
      return row?.active ?? false;
    },

    /** Sign-out: every token of the family stops working. */
    revokeFamily,

    /**
     * A one-time sign-in code for an admin (the admin bot's `/web`, `pnpm admin:web-code`, the
     * sandbox's link), valid until `expiresAt`. Only its hash is stored; the code is returned once.
     */
    async createLoginCode(adminId: number, expiresAt: Date, opts: TxOptions = {}): Promise<string> {
      const code = randomBytes(18).toString('base64url');
      await queryRows(
        sequelize,
        `INSERT INTO admin_login_codes (code_hash, admin_id, expires_at) VALUES ($1, $2, $3) RETURNING admin_id`,
        [sha256(code), adminId, expiresAt],
        opts,
      );
      return code;
    },

    /** Uses a code once: the admin id, or null when unknown, used or expired. */
    async redeemLoginCode(code: string, now: Date, opts: TxOptions = {}): Promise<number | null> {
      const row = await queryOne<{ adminId: number }>(
        sequelize,
        `UPDATE admin_login_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING admin_id`,
        [sha256(code), now],
        opts,
      );
      return row?.adminId ?? null;
    },
  };
}

export type AdminSessionsRepository = ReturnType<typeof createAdminSessionsRepository>;
