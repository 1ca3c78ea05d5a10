import { PanelError, type PanelKind } from '../../adapter.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/http-client.js';
import { statusError } from '../../http/status-error.js';
import { describeDetail } from './marzban-mapping.js';
import type { MarzbanErrorBody } from './marzban.types.js';

export interface MarzbanCredentials {
  username: string;
  password: string;
}

/**
 * Bearer-token session for Marzban-style panels (also PasarGuard): logs in with the OAuth2
 * password form, caches the token, and on a 401 logs in again ONCE and repeats the call
 * (marzban.md §2: tokens expire after 24 h by default, or when the admin password changes).
 * Concurrent calls that all hit an expired token share one login.
 */
export interface MarzbanSession {
  /** Sends an authorised request; returns any answer < 500 except 401, which it resolves or throws as 'auth'. */
  send(req: HttpRequest): Promise<HttpResponse>;
  /** Like send, but a 4xx becomes a PanelError (404 → not_found, 409 → conflict, 4xx → rejected). */
  call<T>(req: HttpRequest): Promise<T>;
  /** The PanelError for a refused request (keeps FastAPI's `detail`). */
  toError(req: Pick<HttpRequest, 'method' | 'path'>, res: HttpResponse): PanelError;
  /** Forgets the cached token (tests, credential rotation). */
  invalidate(): void;
}

export function createMarzbanSession(http: HttpClient, credentials: MarzbanCredentials, panel: PanelKind = 'marzban'): MarzbanSession {
  let token: string | null = null;
  let pending: Promise<string> | null = null;

  async function login(): Promise<string> {
    const res = await http.request({
      method: 'POST',
      path: 'api/admin/token',
      form: { grant_type: 'password', username: credentials.username, password: credentials.password },
    });
    if (res.status !== 200) {
      const detail = describeDetail(safeJson(res), res.text);
      throw new PanelError('auth', `${panel}: login as "${credentials.username}" refused (${res.status}): ${detail}`, {
        status: res.status,
        panel,
      });
    }
    const body = res.json<{ access_token?: string }>();
    if (!body.access_token) throw new PanelError('bad_response', `${panel}: login answered without access_token`, { panel });
    return body.access_token;
  }

  /** One login at a time; callers that arrive meanwhile wait for the same token. */
  function renew(stale: string | null): Promise<string> {
    if (token !== null && token !== stale) return Promise.resolve(token);
    pending ??= login()
      .then((fresh) => (token = fresh))
      .finally(() => (pending = null));
    return pending;
  }

  async function send(req: HttpRequest): Promise<HttpResponse> {
    const used = token ?? (await renew(null));
    const res = await http.request({ ...req, headers: { ...req.headers, authorization: `Bearer ${used}` } });
    if (res.status !== 401) return res;
    const fresh = await renew(used);
    const retried = await http.request({ ...req, headers: { ...req.headers, authorization: `Bearer ${fresh}` } });
    if (retried.status === 401) {
      throw new PanelError('auth', `${panel}: ${req.method} ${req.path} still 401 after a fresh login`, { status: 401, panel });
    }
    return retried;
  }

  return sessionFrom(panel, send, () => {
    token = null;
  });
}

/**
 * A {@link MarzbanSession} around any authorised `send` (the Bearer login above, PasarGuard's
 * API key): `call` takes 2xx (204 as undefined), and every refusal keeps FastAPI's `detail`.
 */
export function sessionFrom(panel: PanelKind, send: (req: HttpRequest) => Promise<HttpResponse>, invalidate: () => void): MarzbanSession {
  const toError = (req: Pick<HttpRequest, 'method' | 'path'>, res: HttpResponse): PanelError =>
    statusError(panel, `${req.method} ${req.path}`, res.status, describeDetail(safeJson(res), res.text));
  return {
    send,
    toError,
    async call<T>(req: HttpRequest): Promise<T> {
      const res = await send(req);
      if (res.status >= 200 && res.status < 300) return (res.status === 204 ? undefined : res.json<T>()) as T;
      throw toError(req, res);
    },
    invalidate,
  };
}

function safeJson(res: HttpResponse): MarzbanErrorBody | undefined {
  try {
    return res.json<MarzbanErrorBody>();
  } catch {
    return undefined;
  }
}
