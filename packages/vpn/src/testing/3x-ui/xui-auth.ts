import { randomBytes } from 'node:crypto';
import { parseBody, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-server.js';
import type { XuiFeatures } from './xui-store.js';

/** Login, sessions, CSRF and Bearer tokens of 3x-ui (3x-ui.md §3). */

export interface XuiSessionRecord {
  user: string | null;
  csrf: string | null;
  expiresAt: number;
}

export interface XuiAuthState {
  username: string;
  password: string;
  apiToken: string;
  sessions: Map<string, XuiSessionRecord>;
  sessionMaxAgeMs: number;
  logins: number;
  basePath: string;
}

const cookieOf = (req: EmulatorRequest): string | null => /(?:^|;\s*)3x-ui=([^;]+)/.exec(String(req.headers.cookie ?? ''))?.[1] ?? null;
const setCookie = (sid: string, maxAgeMs: number): Record<string, string> => ({
  'set-cookie': `3x-ui=${sid}; Path=/; Max-Age=${Math.floor(maxAgeMs / 1000)}; HttpOnly; SameSite=Lax`,
});

function session(auth: XuiAuthState, req: EmulatorRequest, now: number): { sid: string; record: XuiSessionRecord } | null {
  const sid = cookieOf(req);
  const record = sid ? auth.sessions.get(sid) : undefined;
  if (!sid || !record || record.expiresAt <= now) return null;
  return { sid, record };
}

/** How an unauthenticated API call is answered, per version (§3.1 table). */
function unauthenticated(f: XuiFeatures, req: EmulatorRequest, basePath: string): EmulatorResponse {
  const xhr = req.headers['x-requested-with'] === 'XMLHttpRequest';
  if (f.clientsApi) return xhr ? { status: 401, text: '' } : { status: 404, text: '' };
  if (f.hidden) return { status: 404, text: '' };
  if (xhr) return { status: 401, json: { success: false, msg: 'Your session has expired, please login again', obj: null } };
  return { status: 307, headers: { location: basePath }, text: '' };
}

/** The gate in front of every route but login and csrf-token; undefined = let it through. */
export function authorise(auth: XuiAuthState, f: XuiFeatures, req: EmulatorRequest, now: number): EmulatorResponse | undefined {
  if (req.path === '/login' || req.path === '/csrf-token') return undefined;
  const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  // Bearer callers skip CSRF (§3.2); only v3.0+ knows API tokens.
  if (f.bearer && bearer !== undefined && bearer === auth.apiToken && req.path.startsWith('/panel/api/')) return undefined;
  const s = session(auth, req, now);
  if (!s?.record.user) return unauthenticated(f, req, auth.basePath);
  if (f.csrf && req.method !== 'GET' && req.headers['x-csrf-token'] !== s.record.csrf) return { status: 403, text: '' };
  return undefined;
}

export function authRoutes(auth: XuiAuthState, features: () => XuiFeatures, now: () => number): Route[] {
  return [
    {
      method: 'GET',
      path: '/csrf-token',
      handler(req) {
        if (!features().csrf) return { status: 404, text: '404 page not found' };
        const existing = session(auth, req, now());
        const sid = existing?.sid ?? randomBytes(16).toString('hex');
        const record = existing?.record ?? { user: null, csrf: null, expiresAt: now() + auth.sessionMaxAgeMs };
        record.csrf ??= randomBytes(16).toString('hex');
        auth.sessions.set(sid, record);
        return { status: 200, json: { success: true, msg: '', obj: record.csrf }, headers: setCookie(sid, auth.sessionMaxAgeMs) };
      },
    },
    {
      method: 'POST',
      path: '/login',
      handler(req) {
        const existing = session(auth, req, now());
        // v3.0+: the login POST itself needs the CSRF token of a pre-session (§3.3).
        if (features().csrf && (!existing?.record.csrf || req.headers['x-csrf-token'] !== existing.record.csrf))
          return { status: 403, text: '' };
        const body = parseBody(req) ?? {};
        if (!body.username || !body.password || body.username !== auth.username || body.password !== auth.password) {
          return { status: 200, json: { success: false, msg: 'Invalid username or password or two-factor code.', obj: null } };
        }
        auth.logins++;
        const sid = existing?.sid ?? randomBytes(16).toString('hex');
        auth.sessions.set(sid, { user: auth.username, csrf: existing?.record.csrf ?? null, expiresAt: now() + auth.sessionMaxAgeMs });
        return {
          status: 200,
          json: { success: true, msg: 'Logged in successfully', obj: null },
          headers: setCookie(sid, auth.sessionMaxAgeMs),
        };
      },
    },
  ];
}
