import { PanelError, type PanelAdapter, type PanelHealth, type PanelUser, type PanelUserSpec } from '../../adapter.js';
import { createHttpClient } from '../../http/http-client.js';
import { assertMarzbanKey, assertSupportedVersion, modifyBody, toPanelUser, toSeconds } from './marzban-mapping.js';
import { createMarzbanSession, type MarzbanCredentials } from './marzban-session.js';
import type { MarzbanNode, MarzbanSystem, MarzbanUser, MarzbanUserList } from './marzban.types.js';

export interface MarzbanAdapterOptions extends MarzbanCredentials {
  /** Panel API origin (with base path if behind a proxy), e.g. `https://panel.example.com:8000`. */
  baseUrl: string;
  /** Public origin for relative subscription URLs; defaults to `baseUrl`. */
  subscriptionBaseUrl?: string;
  /** Inbound tags per protocol the user gets; default the primary VLESS TCP REALITY inbound. */
  inbounds?: Record<string, string[]>;
  /** VLESS flow; `xtls-rprx-vision` for TCP REALITY (the default). */
  flow?: '' | 'xtls-rprx-vision';
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const enc = encodeURIComponent;

/**
 * Marzban 0.7/0.8 adapter (marzban.md). Users are keyed by username = our key. Units: `expire`
 * Unix seconds (0 = never), `data_limit` bytes (0 = unlimited). Marzban has no device limit, so
 * `deviceLimit` is ignored and reported as null.
 */
export function createMarzbanAdapter(options: MarzbanAdapterOptions): PanelAdapter {
  const http = createHttpClient({ baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, panel: 'marzban', fetch: options.fetch });
  const session = createMarzbanSession(http, options);
  const publicBase = options.subscriptionBaseUrl ?? options.baseUrl;
  const inbounds = options.inbounds ?? { vless: ['VLESS TCP REALITY'] };
  const flow = options.flow ?? 'xtls-rprx-vision';
  const view = (user: MarzbanUser): PanelUser => toPanelUser(user, publicBase);
  let verified: Promise<string> | null = null;

  /**
   * Reads the version once and refuses an unsupported one before the first real call, as the
   * Remnawave and wg-easy adapters do: a worker that never calls connect() (or a panel upgraded
   * since) must not create users through an API it does not speak. A failed check is forgotten,
   * so the next call asks again; connect() always asks again.
   */
  function checked(): Promise<string> {
    verified ??= session
      .call<MarzbanSystem>({ method: 'GET', path: 'api/system' })
      .then((system) => {
        assertSupportedVersion(system.version);
        return system.version;
      })
      .catch((error: unknown) => {
        verified = null;
        throw error;
      });
    return verified;
  }

  async function fetchUser(key: string): Promise<MarzbanUser | null> {
    await checked();
    const req = { method: 'GET', path: `api/user/${enc(key)}` } as const;
    const res = await session.send(req);
    if (res.status === 404) return null;
    if (res.status !== 200) throw session.toError(req, res);
    return res.json<MarzbanUser>();
  }

  const modify = async (key: string, body: Record<string, unknown>): Promise<MarzbanUser> => {
    await checked();
    return session.call<MarzbanUser>({ method: 'PUT', path: `api/user/${enc(key)}`, json: body });
  };

  async function create(spec: PanelUserSpec): Promise<MarzbanUser | null> {
    const proxies: Record<string, Record<string, unknown>> = {};
    // `proxies` is mandatory (omitting it stores a broken user and answers 500, §11.1) and so
    // is `inbounds` (omitting it excludes every inbound, §11.2).
    for (const type of Object.keys(inbounds)) proxies[type] = type === 'vless' ? { flow } : {};
    const res = await session.send({
      method: 'POST',
      path: 'api/user',
      json: {
        username: spec.key,
        proxies,
        inbounds,
        expire: toSeconds(spec.expiresAt),
        data_limit: spec.trafficLimitBytes ?? 0,
        data_limit_reset_strategy: 'no_reset',
        status: 'active',
        note: spec.note ?? null,
      },
    });
    // 409: an earlier attempt whose answer was lost already created it — modify instead.
    if (res.status === 409) return null;
    if (res.status !== 200 && res.status !== 201) throw session.toError({ method: 'POST', path: 'api/user' }, res);
    return res.json<MarzbanUser>();
  }

  async function ensure(spec: PanelUserSpec): Promise<MarzbanUser> {
    assertMarzbanKey(spec.key);
    let current = await fetchUser(spec.key);
    if (current === null) {
      const created = await create(spec);
      // A create can only say `active`; a disabled account is created then switched off.
      if (created && spec.enabled) return created;
      current = created ?? (await fetchUser(spec.key));
      if (current === null) throw new PanelError('bad_response', `marzban: ${spec.key} vanished right after create`, { panel: 'marzban' });
    }
    const body = modifyBody(current, spec);
    return body ? modify(spec.key, body) : current;
  }

  async function requireUser(key: string): Promise<MarzbanUser> {
    const user = await fetchUser(key);
    if (!user) throw new PanelError('not_found', `marzban: user ${key} not found`, { status: 404, panel: 'marzban' });
    return user;
  }

  return {
    kind: 'marzban',
    async connect() {
      verified = null;
      return { version: await checked() };
    },
    ensureUser: async (spec) => view(await ensure(spec)),
    getUser: async (key) => {
      const user = await fetchUser(key);
      return user ? view(user) : null;
    },
    async setEnabled(key, enabled) {
      const user = await requireUser(key);
      if ((user.status === 'disabled') === !enabled) return;
      await modify(key, { status: enabled ? 'active' : 'disabled' });
    },
    async resetTraffic(key) {
      const before = await requireUser(key);
      await session.call<MarzbanUser>({ method: 'POST', path: `api/user/${enc(key)}/reset` });
      // Upstream bug (§5.3): reset turns a disabled user active. Put the switch back.
      if (before.status === 'disabled') await modify(key, { status: 'disabled' });
    },
    revokeSubscription: async (key) => {
      await checked();
      return view(await session.call<MarzbanUser>({ method: 'POST', path: `api/user/${enc(key)}/revoke_sub` }));
    },
    async deleteUser(key) {
      await checked();
      const req = { method: 'DELETE', path: `api/user/${enc(key)}` } as const;
      const res = await session.send(req);
      if (res.status !== 404 && (res.status < 200 || res.status >= 300)) throw session.toError(req, res);
    },
    async listUsers(page) {
      // limit=0 means "no limit" to Marzban (§11.15): never send it.
      await checked();
      const list = await session.call<MarzbanUserList>({
        method: 'GET',
        path: 'api/users',
        query: { offset: page.offset, limit: Math.max(1, page.limit), sort: 'created_at' },
      });
      return { users: page.limit === 0 ? [] : list.users.map(view), total: list.total };
    },
    async health(): Promise<PanelHealth> {
      const started = Date.now();
      try {
        const system = await session.call<MarzbanSystem>({ method: 'GET', path: 'api/system' });
        // A panel we cannot speak to is not healthy, however well it answers.
        assertSupportedVersion(system.version);
        const nodesRes = await session.send({ method: 'GET', path: 'api/nodes' });
        // Nodes are sudo-only (403 otherwise): a non-sudo bot admin simply sees none.
        const nodes = nodesRes.status === 200 ? nodesRes.json<MarzbanNode[]>() : [];
        return {
          ok: true,
          version: system.version,
          latencyMs: Date.now() - started,
          usersTotal: system.total_user,
          usersOnline: system.online_users,
          nodes: nodes.map((n) => ({ name: n.name, connected: n.status === 'connected' })),
        };
      } catch (error) {
        return { ok: false, version: null, latencyMs: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
