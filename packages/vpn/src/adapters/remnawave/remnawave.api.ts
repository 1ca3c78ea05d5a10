import { PanelError } from '../../adapter.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/http-client.js';
import { statusError } from '../../http/status-error.js';
import type { RemnawaveCreateBody, RemnawaveSquad, RemnawaveUpdateBody, RemnawaveUser } from './remnawave.types.js';

/** The panel's business error body (specs/remnawave.md §3). */
interface RemnawaveErrorBody {
  message?: string;
  errorCode?: string;
}

export type RemnawaveAction = 'enable' | 'disable' | 'reset-traffic' | 'revoke';

/** An answer that is not 2xx: the status, the panel's error code (A025, A019, …) and its message. */
export interface RemnawaveRefusal {
  status: number;
  errorCode: string | null;
  message: string;
}

function refusal(res: HttpResponse): RemnawaveRefusal {
  let body: RemnawaveErrorBody = {};
  try {
    body = JSON.parse(res.text) as RemnawaveErrorBody;
  } catch {
    // Not every refusal is JSON (a proxy in front, the production guard).
  }
  return { status: res.status, errorCode: body.errorCode ?? null, message: body.message ?? res.text.slice(0, 200) };
}

/**
 * The PanelError for a refusal. A019 (username exists) is a conflict; A029/A030 (already
 * disabled/enabled) are conflicts too, which callers treat as "already done".
 */
export function remnawaveError(where: string, r: RemnawaveRefusal): PanelError {
  const code = r.errorCode ? ` [${r.errorCode}]` : '';
  if (r.errorCode === 'A019' || r.errorCode === 'A029' || r.errorCode === 'A030') {
    return new PanelError('conflict', `remnawave: ${where} answered ${r.status}${code}: ${r.message}`, {
      status: r.status,
      panel: 'remnawave',
    });
  }
  return statusError('remnawave', where, r.status, `${r.message}${code}`);
}

/**
 * Thin typed calls over the shared HTTP client: unwraps `{response}` and turns refusals into
 * PanelErrors. Paths are absolute under `/api` (Nest global prefix).
 */
export function createRemnawaveApi(http: HttpClient) {
  /** Sends and unwraps; `allow` lists non-2xx statuses returned as a refusal instead of thrown. */
  async function call<T>(req: HttpRequest, allow: number[] = []): Promise<T | RemnawaveRefusal> {
    const res = await http.request(req);
    if (res.status === 204) return undefined as T;
    if (res.status >= 200 && res.status < 300) {
      const body = res.json<{ response?: T }>();
      if (body === null || typeof body !== 'object' || !('response' in body)) {
        throw new PanelError('bad_response', `remnawave: ${req.method} ${req.path} answered without {response}`, {
          status: res.status,
          panel: 'remnawave',
        });
      }
      return body.response as T;
    }
    const r = refusal(res);
    if (allow.includes(res.status)) return r;
    throw remnawaveError(`${req.method} ${req.path}`, r);
  }

  async function must<T>(req: HttpRequest): Promise<T> {
    return (await call<T>(req)) as T;
  }

  const isRefusal = (value: unknown): value is RemnawaveRefusal =>
    typeof value === 'object' && value !== null && 'status' in value && 'errorCode' in value && 'message' in value;

  return {
    isRefusal,
    call,
    /** `GET /api/system/metadata` → version; null when the route does not exist (older builds). */
    async metadataVersion(): Promise<string | null> {
      const r = await call<{ version: string }>({ method: 'GET', path: '/api/system/metadata' }, [404]);
      return isRefusal(r) ? null : r.version;
    },
    /** null when the user does not exist (404 A025). */
    async byUsername(username: string): Promise<RemnawaveUser | null> {
      const r = await call<RemnawaveUser>({ method: 'GET', path: `/api/users/by-username/${encodeURIComponent(username)}` }, [404]);
      return isRefusal(r) ? null : r;
    },
    /** Creates; a refusal (e.g. A019 username exists after a lost answer) is returned, not thrown. */
    create: (body: RemnawaveCreateBody) => call<RemnawaveUser>({ method: 'POST', path: '/api/users', json: body }, [400]),
    update: (body: RemnawaveUpdateBody) => must<RemnawaveUser>({ method: 'PATCH', path: '/api/users', json: body }),
    action: (pathId: string, action: RemnawaveAction) =>
      call<RemnawaveUser>({ method: 'POST', path: `/api/users/${encodeURIComponent(pathId)}/actions/${action}`, json: {} }, [400]),
    /** 3.x answers 204, 2.x 200 `{isDeleted:true}`; a user already gone answers 404. */
    remove: (pathId: string) => call<unknown>({ method: 'DELETE', path: `/api/users/${encodeURIComponent(pathId)}` }, [404]),
    list: (start: number, size: number) =>
      must<{ users: RemnawaveUser[]; total: number }>({ method: 'GET', path: '/api/users', query: { start, size } }),
    squads: async (): Promise<RemnawaveSquad[]> =>
      (await must<{ internalSquads: RemnawaveSquad[] }>({ method: 'GET', path: '/api/internal-squads' })).internalSquads,
    stats: () => must<{ users: { totalUsers: number }; onlineStats: { onlineNow: number } }>({ method: 'GET', path: '/api/system/stats' }),
    nodes: () => must<Array<{ name: string; isConnected: boolean; isDisabled: boolean }>>({ method: 'GET', path: '/api/nodes' }),
    /** A user path read, used to tell 2.x (uuid ids) from 3.x (numeric ids) on panels without metadata. */
    probeUserPath: (pathId: string) => call<RemnawaveUser>({ method: 'GET', path: `/api/users/${pathId}` }, [400, 404]),
  };
}

export type RemnawaveApi = ReturnType<typeof createRemnawaveApi>;
