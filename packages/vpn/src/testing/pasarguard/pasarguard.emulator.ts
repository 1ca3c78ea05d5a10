import { randomBytes } from 'node:crypto';
import { startEmulatorServer, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-server.js';
import { marzbanLikeUsers } from '../marzban/marzban-like-users.js';
import { detail } from '../marzban/marzban-users.js';
import { renderRealityVlessLink } from '../marzban/reality-render.js';
import type { PanelEmulator } from '../panel-emulator.js';
import { createPasarGuardStore, type PasarGuardStore, type PgUser } from './pasarguard-store.js';

export interface PasarGuardEmulatorOptions {
  /** Reported by `GET /api/system`; default `5.2.1`. */
  version?: string;
  admin?: { username: string; password: string };
  /** The key accepted in `X-Api-Key`. */
  apiKey?: string;
  /** Groups (`/api/groups`); default one, id 1. */
  groups?: Array<{ id: number; name: string }>;
  /** Subscription URL prefix; default '' (relative `/sub/<token>`). */
  subscriptionUrlPrefix?: string;
  now?: () => number;
}

/** The PasarGuard emulator: {@link PanelEmulator} plus a few hooks. */
export interface PasarGuardEmulator extends PanelEmulator {
  readonly credentials: { username: string; password: string };
  readonly apiKey: string;
  readonly groupIds: number[];
  user(key: string): PgUser | undefined;
  setNodes(nodes: Array<{ id: number; name: string; status: 'connected' | 'connecting' | 'error' | 'disabled' }>): void;
}

/**
 * A PasarGuard v5 panel (specs/pasarguard.md: "reuse the Marzban emulator with 201/204 statuses,
 * `group_ids` requirement, ISO `expire`, `X-Api-Key` auth, `hwid_limit`"). Errors keep Marzban's
 * `{detail}` shapes. Starts on 127.0.0.1:<random>; close it after the test.
 */
export async function createPasarGuardEmulator(options: PasarGuardEmulatorOptions = {}): Promise<PasarGuardEmulator> {
  const admin = { username: 'admin', password: 'admin-password', ...options.admin };
  const apiKey = options.apiKey ?? 'pg-api-key-0123456789';
  const groups = options.groups ?? [{ id: 1, name: 'Default' }];
  const now = options.now ?? Date.now;
  const store = createPasarGuardStore({
    groups,
    subscriptionUrlPrefix: options.subscriptionUrlPrefix ?? '',
    now,
    version: options.version ?? '5.2.1',
  });
  const tokens = new Set<string>();
  let logins = 0;
  let nodes: Array<{ id: number; name: string; status: string }> = [];

  const unauthorised = (req: EmulatorRequest): EmulatorResponse | null => {
    if (req.headers['x-api-key'] !== undefined) return req.headers['x-api-key'] === apiKey ? null : detail(401, 'Invalid API key');
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer '))
      return { status: 401, json: { detail: 'Not authenticated' }, headers: { 'www-authenticate': 'Bearer' } };
    return tokens.has(header.slice(7))
      ? null
      : { status: 401, json: { detail: 'Could not validate credentials' }, headers: { 'www-authenticate': 'Bearer' } };
  };
  const body = (req: EmulatorRequest): Record<string, unknown> =>
    req.rawBody === '' ? {} : (JSON.parse(req.rawBody) as Record<string, unknown>);
  const authed = (method: string, path: string, handler: (req: EmulatorRequest) => EmulatorResponse): Route => ({
    method,
    path,
    handler: (req) => unauthorised(req) ?? handler(req),
  });
  const onUser = (method: string, path: string, handler: (user: PgUser, req: EmulatorRequest) => EmulatorResponse): Route =>
    authed(method, path, (req) => {
      const user = store.users.get((req.params.username ?? '').toLowerCase());
      return user ? handler(user, req) : detail(404, 'User not found');
    });

  const server = await startEmulatorServer({
    routes: routes(),
    notFound: () => detail(404, 'Not Found'),
    methodNotAllowed: () => detail(405, 'Method Not Allowed'),
  });
  function routes(): Route[] {
    return [
      {
        method: 'POST',
        path: '/api/admin/token',
        handler(req) {
          const form = Object.fromEntries(new URLSearchParams(req.rawBody));
          if (!form.username || !form.password) return detail(422, { username: 'Field required' });
          if (form.username !== admin.username || form.password !== admin.password)
            return { status: 401, json: { detail: 'Incorrect username or password' }, headers: { 'www-authenticate': 'Bearer' } };
          logins++;
          const token = randomBytes(24).toString('base64url');
          tokens.add(token);
          return { status: 200, json: { access_token: token, token_type: 'bearer' } };
        },
      },
      authed('POST', '/api/user', (req) => store.create(body(req))),
      onUser('GET', '/api/user/:username', (user) => ({ status: 200, json: store.response(user) })),
      onUser('PUT', '/api/user/:username', (user, req) => store.modify(user, body(req))),
      onUser('PUT', '/api/user/:username/disabled', (user, req) => {
        const disabled = body(req).disabled;
        if (typeof disabled !== 'boolean') return detail(422, { disabled: 'Input should be a valid boolean' });
        return store.modify(user, { status: disabled ? 'disabled' : 'active' });
      }),
      onUser('DELETE', '/api/user/:username', (user) => {
        store.users.delete(user.username.toLowerCase());
        return { status: 204 };
      }),
      onUser('POST', '/api/user/:username/reset', (user) => store.reset(user)),
      onUser('POST', '/api/user/:username/revoke_sub', (user) => store.revoke(user)),
      authed('GET', '/api/users', (req) => list(store, req)),
      authed('GET', '/api/groups', () => ({
        status: 200,
        json: { groups: groups.map((g) => ({ ...g, inbound_tags: ['VLESS TCP REALITY'], is_disabled: false })), total: groups.length },
      })),
      authed('GET', '/api/system', () => ({
        status: 200,
        json: {
          version: store.options.version,
          total_user: store.users.size,
          online_users: [...store.users.values()].filter((u) => u.online_at !== null).length,
        },
      })),
      authed('GET', '/api/nodes', () => ({ status: 200, json: nodes })),
      {
        method: 'GET',
        path: '/sub/:token',
        handler(req) {
          const user = store.byToken(req.params.token ?? '');
          if (!user) return detail(404, 'Not Found');
          // Base64 of the share links, each rendered with a random short id and SNI (reality-render.ts).
          const link = renderRealityVlessLink({ uuid: user.vlessId, flow: '', host: 'vpn.example.com', port: 443, remark: user.username });
          return {
            status: 200,
            text: Buffer.from(link).toString('base64'),
            headers: {
              'subscription-userinfo': `upload=0; download=${user.used_traffic}; total=${user.data_limit ?? 0}; expire=${user.expire === null ? 0 : Math.floor(user.expire / 1000)}`,
            },
          };
        },
      },
    ];
  }

  return {
    ...marzbanLikeUsers<PgUser>(store.users, 'pasarguard'),
    url: server.url,
    faults: server.faults,
    requests: server.requests,
    countRequests: (match) => server.countRequests(match),
    credentials: { username: admin.username, password: admin.password },
    apiKey,
    groupIds: groups.map((g) => g.id),
    setVersion: (version) => void (store.options.version = version),
    expireSessions: () => tokens.clear(),
    // Tokens are JWTs signed with a secret in the database: they survive a restart.
    restart: () => undefined,
    loginCount: () => logins,
    setNodes: (next) => void (nodes = next),
    close: () => server.close(),
  };
}

function list(store: PasarGuardStore, req: EmulatorRequest): EmulatorResponse {
  const users = [...store.users.values()];
  const offset = Number(req.query.get('offset') ?? 0);
  const limit = Number(req.query.get('limit') ?? 0);
  const page = users.slice(offset, limit > 0 ? offset + limit : undefined);
  return { status: 200, json: { users: page.map((u) => store.response(u)), total: users.length } };
}
