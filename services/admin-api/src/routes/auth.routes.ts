import { ROLE_PERMISSIONS } from '@vpn/backoffice';
import type { Admin } from '@vpn/db';
import { z } from 'zod';
import { CSRF_COOKIE, CSRF_HEADER, REFRESH_COOKIE, clearSessionCookies, readCookie, setSessionCookies } from '../auth/cookies.js';
import type { IssuedTokens } from '../auth/sessions.js';
import { checkTelegramLogin } from '../auth/telegram-login.js';
import { sameSecret } from '../auth/tokens.js';
import type { AppContext } from '../context.js';
import { ApiError } from '../http/errors.js';
import { LOGIN_RATE } from '../http/rate-limit.js';
import { route } from '../http/route.js';
import type { RouteDeps } from './deps.js';

/** The Login Widget's fields: short scalars only (a huge or nested body is refused before hashing). */
const widgetBody = z
  .record(z.string().regex(/^[a-z_]{1,32}$/), z.union([z.string().max(512), z.number()]))
  .refine((r) => Object.keys(r).length <= 16, 'too many fields');

function signedIn(ctx: AppContext, deps: RouteDeps, admin: Admin, tokens: IssuedTokens) {
  setSessionCookies(ctx, tokens, deps.ttl);
  return {
    admin: { id: admin.id, telegramId: admin.telegramId, name: admin.name, role: admin.role },
    accessToken: tokens.access,
    expiresIn: deps.ttl.accessSeconds,
    csrfToken: tokens.csrf,
  };
}

async function startFor(ctx: AppContext, deps: RouteDeps, admin: Admin, via: 'telegram' | 'code') {
  const tokens = await deps.sessions.start(admin, ctx.get('user-agent') || null);
  await deps.db.repos.auditLog.append({
    actorKind: 'admin',
    actorId: admin.id,
    action: 'admin.sign_in',
    entity: 'admin',
    entityId: String(admin.id),
    data: { via },
  });
  return signedIn(ctx, deps, admin, tokens);
}

/** Sign-in (Login Widget or one-time code), refresh with rotation, sign-out, who am I. */
export function authRoutes(deps: RouteDeps) {
  return [
    route({
      method: 'get',
      path: '/api/auth/config',
      summary: 'How staff can sign in here: the admin bot’s username for the Login Widget, or null (codes only)',
      tag: 'auth',
      access: 'public',
      async handler() {
        return { widgetBot: deps.adminBotToken && deps.widgetBot ? await deps.widgetBot() : null };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/telegram',
      summary: 'Sign in with the Telegram Login Widget (data signed with the admin bot’s token)',
      tag: 'auth',
      access: 'public',
      body: widgetBody,
      async handler(ctx, { body }) {
        await deps.rateLimiter.hit('login', ctx.ip, LOGIN_RATE);
        if (!deps.adminBotToken)
          throw new ApiError(
            503,
            'widget_unavailable',
            'the Login Widget needs ADMIN_BOT_TOKEN; sign in with a code from the admin bot (/web)',
          );
        const check = checkTelegramLogin(body, deps.adminBotToken, deps.now());
        if (!check.ok)
          throw new ApiError(
            401,
            `login_${check.reason}`,
            check.reason === 'expired'
              ? 'the sign-in data is older than a day; sign in again'
              : 'the sign-in data is not signed by Telegram',
          );
        const admin = await deps.db.repos.admins.findActiveByTelegramId(check.telegramId);
        if (!admin) throw new ApiError(403, 'not_staff', 'this Telegram account is not an admin');
        return startFor(ctx, deps, admin, 'telegram');
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/code',
      summary: 'Sign in with a one-time code (the admin bot’s /web, or the sandbox’s login link)',
      tag: 'auth',
      access: 'public',
      body: z.object({ code: z.string().min(10).max(64) }),
      async handler(ctx, { body }) {
        await deps.rateLimiter.hit('login', ctx.ip, LOGIN_RATE);
        const adminId = await deps.sessions.redeemCode(body.code);
        const admin = adminId === null ? null : await deps.db.repos.admins.findActiveById(adminId);
        if (!admin) throw new ApiError(401, 'code_invalid', 'the code is unknown, used or expired; ask the admin bot for a new one');
        return startFor(ctx, deps, admin, 'code');
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/refresh',
      summary: 'A new access token for the refresh cookie; the refresh token rotates (a reused one ends the sign-in)',
      tag: 'auth',
      access: 'public',
      async handler(ctx) {
        const csrf = readCookie(ctx, CSRF_COOKIE);
        const echoed = ctx.get(CSRF_HEADER);
        if (!csrf || !echoed || !sameSecret(csrf, echoed)) throw new ApiError(403, 'csrf', 'missing or wrong X-CSRF-Token header');
        const token = readCookie(ctx, REFRESH_COOKIE);
        if (!token) throw new ApiError(401, 'unauthorized', 'no sign-in to refresh');
        const result = await deps.sessions.refresh(token);
        if (!result.ok) {
          clearSessionCookies(ctx);
          if (result.reason === 'replayed')
            ctx.state.log.warn({ reason: 'refresh token reused' }, 'admin sign-in revoked: a rotated refresh token was presented again');
          throw new ApiError(
            401,
            result.reason === 'expired' ? 'session_expired' : 'unauthorized',
            'this sign-in has ended; sign in again',
          );
        }
        const admin = await deps.db.repos.admins.findActiveById(result.adminId);
        return signedIn(ctx, deps, admin!, result.tokens);
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Sign out: the sign-in’s tokens stop working everywhere',
      tag: 'auth',
      access: 'signed-in',
      async handler(ctx) {
        await deps.sessions.end(ctx.state.auth.familyId);
        clearSessionCookies(ctx);
        return { signedOut: true };
      },
    }),
    route({
      method: 'get',
      path: '/api/auth/me',
      summary: 'The signed-in admin and their role',
      tag: 'auth',
      access: 'signed-in',
      async handler(ctx) {
        const { admin } = ctx.state.auth;
        return {
          id: admin.id,
          telegramId: admin.telegramId,
          name: admin.name,
          role: admin.role,
          permissions: [...ROLE_PERMISSIONS[admin.role]],
        };
      },
    }),
  ];
}
