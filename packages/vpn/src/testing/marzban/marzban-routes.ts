import { randomBytes } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse, Route } from '../emulator-server.js';
import type { MarzbanStore, StoredUser } from './marzban-store.js';
import { createUser, detail, modifyUser, resetUser, revokeUser } from './marzban-users.js';

export interface MarzbanAuthState {
  admins: Array<{ username: string; password: string; sudo: boolean }>;
  /** token → admin and expiry (ms). */
  tokens: Map<string, { admin: string; sudo: boolean; expiresAt: number }>;
  tokenTtlMs: number;
  logins: number;
  nodes: Array<{ id: number; name: string; status: string; message: string | null }>;
}

const WWW = { 'www-authenticate': 'Bearer' };
const unauthorized = (message: string): EmulatorResponse => ({ status: 401, json: { detail: message }, headers: WWW });
const SORT_KEYS = ['username', 'used_traffic', 'data_limit', 'expire', 'created_at'];

/** Authorises a request (§2); returns the admin or the 401/403 to send. */
function authorise(
  auth: MarzbanAuthState,
  store: MarzbanStore,
  req: EmulatorRequest,
  sudoOnly = false,
): EmulatorResponse | { sudo: boolean } {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return unauthorized('Not authenticated');
  const session = auth.tokens.get(header.slice(7));
  if (!session || session.expiresAt <= store.options.now()) return unauthorized('Could not validate credentials');
  if (sudoOnly && !session.sudo) return detail(403, "You're not allowed");
  return { sudo: session.sudo };
}

const isResponse = (v: EmulatorResponse | { sudo: boolean }): v is EmulatorResponse => 'status' in v;

/** §11.8: a body that is not JSON answers 422 before authentication. */
function jsonBody(req: EmulatorRequest): { body: Record<string, unknown> } | { error: EmulatorResponse } {
  try {
    const parsed: unknown = JSON.parse(req.rawBody === '' ? '{}' : req.rawBody);
    if (typeof parsed === 'object' && parsed !== null) return { body: parsed as Record<string, unknown> };
    return { error: detail(422, { body: 'Input should be a valid dictionary' }) };
  } catch (error) {
    const offset = /position (\d+)/.exec(String(error))?.[1] ?? '0';
    return { error: detail(422, { [offset]: 'JSON decode error' }) };
  }
}

export function marzbanRoutes(store: MarzbanStore, auth: MarzbanAuthState): Route[] {
  /** Authenticated route on an existing user: auth → 404 → handler (§11.8 order). */
  const onUser = (
    method: string,
    path: string,
    handler: (user: StoredUser, body: Record<string, unknown>) => EmulatorResponse,
    withBody = false,
  ): Route => ({
    method,
    path,
    handler(req) {
      const parsed = withBody ? jsonBody(req) : { body: {} };
      if ('error' in parsed) return parsed.error;
      const who = authorise(auth, store, req);
      if (isResponse(who)) return who;
      const user = store.users.get((req.params.username ?? '').toLowerCase());
      if (!user) return detail(404, 'User not found');
      if (user.broken && method === 'GET') return { status: 500, text: 'Internal Server Error' };
      return handler(user, parsed.body);
    },
  });
  const authed = (method: string, path: string, handler: (req: EmulatorRequest) => EmulatorResponse, sudoOnly = false): Route => ({
    method,
    path,
    handler(req) {
      const who = authorise(auth, store, req, sudoOnly);
      return isResponse(who) ? who : handler(req);
    },
  });

  return [
    {
      method: 'POST',
      path: '/api/admin/token',
      handler(req) {
        const form = Object.fromEntries(new URLSearchParams(req.rawBody));
        const type = String(req.headers['content-type'] ?? '');
        if (!type.includes('application/x-www-form-urlencoded') || !form.username || !form.password) {
          return detail(422, { username: 'Field required' });
        }
        if (form.grant_type !== undefined && form.grant_type !== 'password')
          return detail(422, { grant_type: "String should match pattern '^password$'" });
        const admin = auth.admins.find((a) => a.username === form.username && a.password === form.password);
        if (!admin) return { status: 401, json: { detail: 'Incorrect username or password' }, headers: WWW };
        auth.logins++;
        const token = randomBytes(24).toString('base64url');
        auth.tokens.set(token, { admin: admin.username, sudo: admin.sudo, expiresAt: store.options.now() + auth.tokenTtlMs });
        return { status: 200, json: { access_token: token, token_type: 'bearer' } };
      },
    },
    authed('GET', '/api/admin', () => ({
      status: 200,
      json: { username: auth.admins[0]?.username, is_sudo: true, telegram_id: null, discord_webhook: null, users_usage: 0 },
    })),
    {
      method: 'POST',
      path: '/api/user',
      handler(req) {
        const parsed = jsonBody(req);
        if ('error' in parsed) return parsed.error;
        const who = authorise(auth, store, req);
        return isResponse(who) ? who : createUser(store, parsed.body);
      },
    },
    onUser('GET', '/api/user/:username', (user) => ({ status: 200, json: store.response(user) })),
    onUser('PUT', '/api/user/:username', (user, body) => modifyUser(store, user, body), true),
    onUser('DELETE', '/api/user/:username', (user) => {
      store.users.delete(user.username.toLowerCase());
      return detail(200, 'User successfully deleted');
    }),
    onUser('POST', '/api/user/:username/reset', (user) => resetUser(store, user)),
    onUser('POST', '/api/user/:username/revoke_sub', (user) => revokeUser(store, user)),
    authed('GET', '/api/users', (req) => listUsers(store, req)),
    authed('GET', '/api/system', () => systemStats(store)),
    authed('GET', '/api/core', () => ({ status: 200, json: { version: '1.8.24', started: true, logs_websocket: '/api/core/logs' } })),
    authed('GET', '/api/inbounds', () => {
      const grouped: Record<string, unknown[]> = {};
      for (const i of store.options.inbounds) (grouped[i.protocol] ??= []).push(i);
      return { status: 200, json: grouped };
    }),
    authed('GET', '/api/nodes', () => ({ status: 200, json: auth.nodes }), true),
    {
      method: 'GET',
      path: '/sub/:token',
      handler(req) {
        const user = store.userForToken(req.params.token ?? '');
        if (!user) return detail(404, 'Not Found');
        const links = store.links(user).join('\n');
        return {
          status: 200,
          text: Buffer.from(links).toString('base64'),
          headers: {
            'content-type': 'text/plain; charset=utf-8',
            'subscription-userinfo': `upload=0; download=${user.used_traffic}; total=${user.data_limit ?? 0}; expire=${user.expire ?? 0}`,
            'profile-update-interval': '12',
          },
        };
      },
    },
  ];
}

function listUsers(store: MarzbanStore, req: EmulatorRequest): EmulatorResponse {
  const sort = req.query.get('sort');
  for (const option of sort ? sort.split(',') : []) {
    if (!SORT_KEYS.includes(option.replace(/^-/, ''))) return detail(400, `"${option}" is not a valid sort option`);
  }
  let users = [...store.users.values()];
  if (users.some((u) => u.broken)) return { status: 500, text: 'Internal Server Error' };
  const names = req.query.getAll('username').map((n) => n.toLowerCase());
  if (names.length > 0) users = users.filter((u) => names.includes(u.username.toLowerCase()));
  const search = req.query.get('search')?.toLowerCase();
  if (search) users = users.filter((u) => u.username.toLowerCase().includes(search) || (u.note ?? '').toLowerCase().includes(search));
  const status = req.query.get('status');
  if (status) users = users.filter((u) => u.status === status);
  // Stable sorts applied last-key-first give the multi-key order; numbers compare as numbers.
  for (const option of (sort ? sort.split(',') : []).reverse()) {
    const key = option.replace(/^-/, '') as 'username' | 'used_traffic' | 'data_limit' | 'expire' | 'created_at';
    const dir = option.startsWith('-') ? -1 : 1;
    const value = (u: StoredUser): number | string => u[key] ?? 0;
    users.sort((a, b) => (value(a) < value(b) ? -dir : value(a) > value(b) ? dir : 0));
  }
  const offset = Number(req.query.get('offset') ?? 0);
  const limit = Number(req.query.get('limit') ?? 0);
  const page = users.slice(offset, limit > 0 ? offset + limit : undefined);
  return { status: 200, json: { users: page.map((u) => store.response(u)), total: users.length } };
}

function systemStats(store: MarzbanStore): EmulatorResponse {
  const users = [...store.users.values()];
  const count = (s: string): number => users.filter((u) => u.status === s).length;
  return {
    status: 200,
    json: {
      version: store.options.version,
      mem_total: 8_000_000_000,
      mem_used: 2_000_000_000,
      cpu_cores: 2,
      cpu_usage: 3.5,
      total_user: users.length,
      online_users: users.filter((u) => u.online_at !== null).length,
      users_active: count('active'),
      users_on_hold: count('on_hold'),
      users_disabled: count('disabled'),
      users_expired: count('expired'),
      users_limited: count('limited'),
      incoming_bandwidth: 0,
      outgoing_bandwidth: 0,
      incoming_bandwidth_speed: 0,
      outgoing_bandwidth_speed: 0,
    },
  };
}
