import { PanelError, type PanelAdapter, type PanelHealth, type PanelUser, type PanelUserSpec } from '../../adapter.js';
import { createHttpClient } from '../../http/http-client.js';
import { createRemnawaveApi, remnawaveError, type RemnawaveAction } from './remnawave.api.js';
import { needsDisable, REMNAWAVE_USERNAME, toCreateBody, toPanelUser, toUpdateBody, userPathId } from './remnawave.mapping.js';
import { remnawaveGeneration, SUPPORTED_REMNAWAVE, type RemnawaveGeneration, type RemnawaveUser } from './remnawave.types.js';

export interface RemnawaveAdapterOptions {
  /** Panel origin, e.g. `https://panel.example.com` or `http://remnawave:3000` (routes live under `/api`). */
  baseUrl: string;
  /** API token from Settings → API tokens (admin JWTs are refused for API use). */
  apiToken: string;
  /**
   * Internal squads (uuid or name) that grant new users their inbounds — from the server's settings.
   * Empty or absent: every squad on the panel. A user without a squad has no working config.
   */
  squads?: string[];
  /** Sent as `X-Forwarded-For`; the panel only checks that it is present. Default `127.0.0.1`. */
  forwardedFor?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface Connection {
  version: string;
  generation: RemnawaveGeneration;
  squads: string[];
}

/**
 * Remnawave 2.x/3.x adapter (specs/remnawave.md). Users are found by username = our key; the
 * panel's path id is the uuid (2.x) or numeric id (3.x), chosen from the version read at connect.
 * Units: `expireAt` ISO-8601 (a 2099 date stands for "never"), `trafficLimitBytes` bytes
 * (0 = unlimited), `hwidDeviceLimit` = our deviceLimit, `description` = our note.
 */
export function createRemnawaveAdapter(options: RemnawaveAdapterOptions): PanelAdapter {
  const http = createHttpClient({
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    panel: 'remnawave',
    fetch: options.fetch,
    // Without this pair a production panel destroys the socket without answering (§1).
    headers: {
      authorization: `Bearer ${options.apiToken}`,
      'x-forwarded-for': options.forwardedFor ?? '127.0.0.1',
      'x-forwarded-proto': 'https',
    },
  });
  const api = createRemnawaveApi(http);
  let connection: Promise<Connection> | null = null;

  async function detectVersion(): Promise<string> {
    const version = await api.metadataVersion();
    if (version !== null) return version;
    // No metadata route: tell the generations apart by how a uuid path id is received —
    // 2.x looks it up (404 A025), 3.x refuses a non-numeric id (400).
    const probe = await api.probeUserPath('00000000-0000-4000-8000-000000000000');
    if (api.isRefusal(probe) && probe.status === 400) return '3.x';
    return '2.x';
  }

  async function open(): Promise<Connection> {
    const version = await detectVersion();
    const generation = remnawaveGeneration(version);
    if (generation === null) {
      throw new PanelError(
        'unsupported_version',
        `remnawave: panel version ${version} is not supported (supported: ${SUPPORTED_REMNAWAVE})`,
        {
          panel: 'remnawave',
        },
      );
    }
    const available = await api.squads().catch((error: unknown) => {
      // 1.x had inbounds, not squads: the route is missing.
      if (error instanceof PanelError && error.code === 'not_found') {
        throw new PanelError(
          'unsupported_version',
          `remnawave: panel ${version} has no internal squads (1.x?); supported: ${SUPPORTED_REMNAWAVE}`,
          { panel: 'remnawave' },
        );
      }
      throw error;
    });
    // Settings JSON is operator-edited: a non-list must fail loudly, not grant every squad.
    const wanted: unknown = options.squads ?? [];
    if (!Array.isArray(wanted) || !wanted.every((w): w is string => typeof w === 'string')) {
      throw new PanelError('rejected', 'remnawave: settings.squads must be a list of internal squad uuids or names', {
        panel: 'remnawave',
      });
    }
    const squads =
      wanted.length === 0
        ? available.map((s) => s.uuid)
        : wanted.map((w) => {
            const squad = available.find((s) => s.uuid === w || s.name === w);
            if (!squad)
              throw new PanelError(
                'rejected',
                `remnawave: internal squad "${w}" does not exist (have: ${available.map((s) => s.name).join(', ') || 'none'})`,
                { panel: 'remnawave' },
              );
            return squad.uuid;
          });
    return { version, generation, squads };
  }

  /** Connects once; a failed connect is forgotten so the next call tries again. */
  function connected(): Promise<Connection> {
    connection ??= open().catch((error: unknown) => {
      connection = null;
      throw error;
    });
    return connection;
  }

  async function requireUser(key: string): Promise<RemnawaveUser> {
    const user = await api.byUsername(key);
    if (!user) throw new PanelError('not_found', `remnawave: user ${key} not found`, { status: 404, panel: 'remnawave' });
    return user;
  }

  /** Runs a user action; A029/A030 (already disabled/enabled) mean it is already done. */
  async function act(user: RemnawaveUser, action: RemnawaveAction, generation: RemnawaveGeneration): Promise<RemnawaveUser> {
    const where = `POST /api/users/…/actions/${action}`;
    const r = await api.action(userPathId(user, generation), action);
    if (!api.isRefusal(r)) return r;
    if (r.errorCode === 'A029' || r.errorCode === 'A030') return user;
    throw remnawaveError(where, r);
  }

  async function ensure(spec: PanelUserSpec): Promise<PanelUser> {
    if (!REMNAWAVE_USERNAME.test(spec.key)) {
      throw new PanelError('rejected', `remnawave: key "${spec.key}" is not a valid username (^[a-zA-Z0-9_-]{3,36}$)`, {
        panel: 'remnawave',
      });
    }
    const { generation, squads } = await connected();
    let current = await api.byUsername(spec.key);
    if (!current) {
      const created = await api.create(toCreateBody(spec, squads));
      if (!api.isRefusal(created)) return toPanelUser(created, generation);
      // A019: an earlier attempt whose answer was lost created it — modify it instead.
      if (created.errorCode !== 'A019') throw remnawaveError('POST /api/users', created);
      current = await requireUser(spec.key);
    }
    const patch = toUpdateBody(spec, current, squads, generation);
    if (patch) current = await api.update(patch);
    // The panel applies a PATCH `DISABLED` to ACTIVE users only: the action disables any status.
    if (needsDisable(spec, current)) current = await act(current, 'disable', generation);
    return toPanelUser(current, generation);
  }

  return {
    kind: 'remnawave',
    async connect() {
      connection = null;
      return { version: (await connected()).version };
    },
    ensureUser: ensure,
    async getUser(key) {
      const { generation } = await connected();
      const user = await api.byUsername(key);
      return user ? toPanelUser(user, generation) : null;
    },
    async setEnabled(key, enabled) {
      const { generation } = await connected();
      const user = await requireUser(key);
      // Only the operator switch: enabling a LIMITED/EXPIRED user would lift the panel's own limit.
      if ((user.status !== 'DISABLED') === enabled) return;
      await act(user, enabled ? 'enable' : 'disable', generation);
    },
    async resetTraffic(key) {
      const { generation } = await connected();
      await act(await requireUser(key), 'reset-traffic', generation);
    },
    async revokeSubscription(key) {
      const { generation } = await connected();
      return toPanelUser(await act(await requireUser(key), 'revoke', generation), generation);
    },
    async deleteUser(key) {
      const { generation } = await connected();
      const user = await api.byUsername(key);
      if (user) await api.remove(userPathId(user, generation));
    },
    async listUsers(page) {
      const { generation } = await connected();
      // size must be 1–1000 (§5.4); a zero-size page still reports the total.
      const list = await api.list(Math.max(0, page.offset), Math.min(1000, Math.max(1, page.limit)));
      const users = page.limit <= 0 ? [] : list.users.map((u) => toPanelUser(u, generation));
      return { users, total: list.total };
    },
    async health(): Promise<PanelHealth> {
      const started = Date.now();
      try {
        const { version } = await connected();
        const [stats, nodes] = await Promise.all([api.stats(), api.nodes()]);
        return {
          ok: true,
          version,
          latencyMs: Date.now() - started,
          usersTotal: stats.users.totalUsers,
          usersOnline: stats.onlineStats.onlineNow,
          nodes: nodes.map((n) => ({ name: n.name, connected: n.isConnected && !n.isDisabled })),
        };
      } catch (error) {
        return { ok: false, version: null, latencyMs: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
