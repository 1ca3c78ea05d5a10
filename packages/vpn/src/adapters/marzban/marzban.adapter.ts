import type { PanelAdapter, PanelUser, PanelUserSpec } from '../../adapter.js';
import { createHttpClient } from '../../http/http-client.js';
import { assertSupportedVersion, modifyBody, toPanelUser, toSeconds } from './marzban-mapping.js';
import { createMarzbanLike, ensureMarzbanLike } from './marzban-like.js';
import { createMarzbanSession, type MarzbanCredentials } from './marzban-session.js';
import type { MarzbanUser, MarzbanUserList } from './marzban.types.js';

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
  // The version is read once and an unsupported one refused before the first real call, as the
  // Remnawave and wg-easy adapters do: a worker that never calls connect() (or a panel upgraded
  // since) must not create users through an API it does not speak.
  const panel = createMarzbanLike(session, 'marzban', assertSupportedVersion);
  const checked = panel.checked;

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

  const ensure = (spec: PanelUserSpec): Promise<MarzbanUser> => ensureMarzbanLike(panel, spec, { create, diff: modifyBody, modify });

  const requireUser = (key: string) => panel.requireUser<MarzbanUser>(key);

  return {
    kind: 'marzban',
    connect: async () => ({ version: await panel.recheck() }),
    ensureUser: async (spec) => view(await ensure(spec)),
    getUser: (key) => panel.getUser(key, view),
    setEnabled: (key, enabled) => panel.setEnabled(key, enabled, (on) => modify(key, { status: on ? 'active' : 'disabled' })),
    async resetTraffic(key) {
      const before = await requireUser(key);
      await session.call<MarzbanUser>({ method: 'POST', path: `api/user/${enc(key)}/reset` });
      // Upstream bug (§5.3): reset turns a disabled user active. Put the switch back.
      if (before.status === 'disabled') await modify(key, { status: 'disabled' });
    },
    revokeSubscription: async (key) => view(await panel.revoke<MarzbanUser>(key)),
    deleteUser: (key) => panel.deleteUser(key),
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
    health: () => panel.health(),
  };
}
