import { PanelError } from '../../adapter.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/http-client.js';
import type { XuiEnvelope } from './xui.types.js';

/** Cookie login (v2.x, v3 with CSRF) or a Bearer API token (v3.0+, admin scope). */
export type XuiAuth = { username: string; password: string } | { apiToken: string };

export interface XuiSession {
  /**
   * Sends with auth; a lost cookie session is re-established once. Returns the raw answer.
   * `mayBeAbsent`: the route may not exist on this version (a probe). A v2 panel answers an
   * unknown API path with an empty 404, the same as a lost session on 2.8.5–3.0 (§3.1): for a
   * probe it means "absent", so it costs no login (each login is a Telegram notice to the admins).
   */
  send(req: HttpRequest, options?: { mayBeAbsent?: boolean }): Promise<HttpResponse>;
  /** Sends and unwraps `{success,msg,obj}`; `success:false` (on HTTP 200) becomes a PanelError. */
  api<T>(req: HttpRequest): Promise<T>;
}

const COOKIE = '3x-ui';

/**
 * A missing session shows differently per version (§3.1): 401 (≤2.8.4 and 3.1+ with
 * X-Requested-With), a 307 to the login page (≤2.8.4 without it), or an empty 404 (2.8.5–3.0.x
 * hide the endpoints). We always send X-Requested-With and treat all three as "log in again".
 */
const sessionLost = (res: HttpResponse, mayBeAbsent = false): boolean =>
  res.status === 401 || (res.status >= 301 && res.status <= 308) || (!mayBeAbsent && res.status === 404 && res.text.trim() === '');

/** Maps the Go error text inside a localized `msg` (§2) to our codes. */
export function envelopeError(where: string, msg: string): PanelError {
  const code = /Duplicate email|already in use/i.test(msg)
    ? 'conflict'
    : /record not found|Not Found For Email/i.test(msg)
      ? 'not_found'
      : 'rejected';
  return new PanelError(code, `3x-ui: ${where} failed: ${msg}`, { panel: '3x-ui' });
}

export function createXuiSession(http: HttpClient, auth: XuiAuth): XuiSession {
  let cookie: string | null = null;
  let csrf: string | null = null;
  let pending: Promise<void> | null = null;

  function takeCookie(res: HttpResponse): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      if (pair.startsWith(`${COOKIE}=`)) cookie = pair;
    }
  }

  async function postLogin(creds: { username: string; password: string }): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'x-requested-with': 'XMLHttpRequest' };
    if (cookie) headers.cookie = cookie;
    if (csrf) headers['x-csrf-token'] = csrf;
    return http.request({ method: 'POST', path: 'login', form: { username: creds.username, password: creds.password }, headers });
  }

  async function login(creds: { username: string; password: string }): Promise<void> {
    cookie = null;
    csrf = null;
    let res = await postLogin(creds);
    if (res.status === 403) {
      // v3.0+: even the login POST needs a CSRF token bound to a pre-session (§3.3).
      const token = await http.request({ method: 'GET', path: 'csrf-token', headers: { 'x-requested-with': 'XMLHttpRequest' } });
      takeCookie(token);
      csrf = token.json<XuiEnvelope<string>>().obj;
      res = await postLogin(creds);
    }
    const body = res.status === 200 ? res.json<XuiEnvelope<unknown>>() : null;
    if (!body?.success) {
      throw new PanelError('auth', `3x-ui: login as "${creds.username}" refused (${res.status}): ${body?.msg ?? res.text.slice(0, 200)}`, {
        status: res.status,
        panel: '3x-ui',
      });
    }
    takeCookie(res);
    if (!cookie) throw new PanelError('bad_response', '3x-ui: login succeeded without a 3x-ui cookie', { panel: '3x-ui' });
  }

  /** One login at a time; concurrent callers with the same stale cookie share it. */
  function relogin(stale: string | null): Promise<void> {
    if ('apiToken' in auth) return Promise.resolve();
    if (cookie !== null && cookie !== stale) return Promise.resolve();
    pending ??= login(auth).finally(() => (pending = null));
    return pending;
  }

  function withAuth(req: HttpRequest): HttpRequest {
    const headers: Record<string, string> = { 'x-requested-with': 'XMLHttpRequest', ...req.headers };
    if ('apiToken' in auth) headers.authorization = `Bearer ${auth.apiToken}`;
    else {
      if (cookie) headers.cookie = cookie;
      if (csrf && req.method !== 'GET') headers['x-csrf-token'] = csrf;
    }
    return { ...req, headers };
  }

  async function send(req: HttpRequest, options: { mayBeAbsent?: boolean } = {}): Promise<HttpResponse> {
    if (!('apiToken' in auth) && cookie === null) await relogin(null);
    const used = cookie;
    const res = await http.request(withAuth(req));
    if ('apiToken' in auth || !sessionLost(res, options.mayBeAbsent)) return res;
    await relogin(used);
    return http.request(withAuth(req));
  }

  return {
    send,
    async api<T>(req: HttpRequest): Promise<T> {
      const res = await send(req);
      const where = `${req.method} ${req.path}`;
      if (res.status === 401 || res.status === 403 || (res.status >= 301 && res.status <= 308)) {
        throw new PanelError(
          'auth',
          `3x-ui: ${where} refused (${res.status}) after a fresh login${'apiToken' in auth ? ' — is the API token valid and admin-scoped?' : ''}`,
          { status: res.status, panel: '3x-ui' },
        );
      }
      // Still 404 after a fresh login: the route itself is missing (another API generation).
      if (res.status === 404)
        throw new PanelError('not_found', `3x-ui: ${where} does not exist on this panel version`, { status: 404, panel: '3x-ui' });
      const body = res.json<XuiEnvelope<T>>();
      if (res.status !== 200 || typeof body.success !== 'boolean') {
        throw new PanelError('bad_response', `3x-ui: ${where} answered ${res.status} without the {success,msg,obj} envelope`, {
          status: res.status,
          panel: '3x-ui',
        });
      }
      if (!body.success) throw envelopeError(where, body.msg);
      return body.obj;
    },
  };
}
