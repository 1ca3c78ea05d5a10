import { PanelError, type PanelAdapter, type PanelUser, type PanelUserSpec } from '../../adapter.js';
import { createHttpClient } from '../../http/http-client.js';
import { createMarzbanLike, ensureMarzbanLike } from '../marzban/marzban-like.js';
import { assertSupportedPasarGuard, modifyBody, toExpire, toPanelUser } from './pasarguard-mapping.js';
import { createPasarGuardSession, type PasarGuardAuth } from './pasarguard-session.js';
import type { PasarGuardUser, PasarGuardUserList } from './pasarguard.types.js';

export type PasarGuardAdapterOptions = PasarGuardAuth & {
  /** Panel API origin, e.g. `https://panel.example.com:8000`. */
  baseUrl: string;
  /** Groups (`/api/group`) that give new users their inbounds; at least one (the panel requires it). */
  groupIds: number[];
  /** Public origin for relative subscription URLs; defaults to `baseUrl`. */
  subscriptionBaseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

const enc = encodeURIComponent;

/**
 * PasarGuard v5 adapter (specs/pasarguard.md: Marzban's API with these deltas): access through
 * `group_ids` instead of proxies/inbounds, 201 on create and 204 on delete, `X-Api-Key` or the
 * password form, `expire` as an ISO datetime, and a device limit (`hwid_limit` = our
 * deviceLimit). Users are keyed by username = our key, with Marzban's username rules.
 */
export function createPasarGuardAdapter(options: PasarGuardAdapterOptions): PanelAdapter {
  if (!Array.isArray(options.groupIds) || options.groupIds.length === 0 || !options.groupIds.every((g) => Number.isInteger(g) && g > 0)) {
    throw new PanelError(
      'rejected',
      'pasarguard: settings.groupIds must list at least one group id (the panel refuses users without a group)',
      { panel: 'pasarguard' },
    );
  }
  const http = createHttpClient({ baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, panel: 'pasarguard', fetch: options.fetch });
  const session = createPasarGuardSession(http, options);
  const publicBase = options.subscriptionBaseUrl ?? options.baseUrl;
  const groupIds = [...options.groupIds];
  const view = (user: PasarGuardUser): PanelUser => toPanelUser(user, publicBase);
  // Read once before the first real call; a Marzban (or any non-v5) version is refused.
  const panel = createMarzbanLike(session, 'pasarguard', assertSupportedPasarGuard);
  const checked = panel.checked;
  const requireUser = (key: string) => panel.requireUser<PasarGuardUser>(key);

  const modify = (key: string, body: Record<string, unknown>): Promise<PasarGuardUser> =>
    session.call<PasarGuardUser>({ method: 'PUT', path: `api/user/${enc(key)}`, json: body });

  async function create(spec: PanelUserSpec): Promise<PasarGuardUser | null> {
    const req = { method: 'POST', path: 'api/user' } as const;
    const res = await session.send({
      ...req,
      json: {
        username: spec.key,
        group_ids: groupIds,
        expire: toExpire(spec.expiresAt),
        data_limit: spec.trafficLimitBytes ?? 0,
        data_limit_reset_strategy: 'no_reset',
        status: 'active',
        hwid_limit: spec.deviceLimit,
        note: spec.note ?? null,
      },
    });
    // 409: an earlier attempt whose answer was lost created it — modify instead.
    if (res.status === 409) return null;
    if (res.status !== 201 && res.status !== 200) throw session.toError(req, res);
    return res.json<PasarGuardUser>();
  }

  const ensure = (spec: PanelUserSpec): Promise<PasarGuardUser> =>
    ensureMarzbanLike(panel, spec, { create, diff: (current, wanted) => modifyBody(current, wanted, groupIds), modify });

  return {
    kind: 'pasarguard',
    connect: async () => ({ version: await panel.recheck() }),
    ensureUser: async (spec) => view(await ensure(spec)),
    getUser: (key) => panel.getUser(key, view),
    // PasarGuard has a route of its own for the switch.
    setEnabled: (key, enabled) =>
      panel.setEnabled(key, enabled, (on) =>
        session.call<PasarGuardUser>({ method: 'PUT', path: `api/user/${enc(key)}/disabled`, json: { disabled: !on } }),
      ),
    async resetTraffic(key) {
      const before = await requireUser(key);
      const after = await session.call<PasarGuardUser>({ method: 'POST', path: `api/user/${enc(key)}/reset` });
      // Marzban's reset turns a disabled user active (marzban.md §5.3); never trust a fork not to.
      if (before.status === 'disabled' && after.status !== 'disabled') await modify(key, { status: 'disabled' });
    },
    revokeSubscription: async (key) => view(await panel.revoke<PasarGuardUser>(key)),
    deleteUser: (key) => panel.deleteUser(key),
    async listUsers(page) {
      await checked();
      const list = await session.call<PasarGuardUserList>({
        method: 'GET',
        path: 'api/users',
        query: { offset: page.offset, limit: Math.max(1, page.limit) },
      });
      return { users: page.limit <= 0 ? [] : list.users.map(view), total: list.total };
    },
    health: () => panel.health(),
  };
}
