import { PanelError, type PanelHealth, type PanelKind, type PanelUser, type PanelUserSpec } from '../../adapter.js';
import { assertMarzbanKey } from './marzban-mapping.js';
import type { MarzbanSession } from './marzban-session.js';
import type { MarzbanNode, MarzbanSystem } from './marzban.types.js';

/**
 * What Marzban and its fork PasarGuard share beyond the session: the version gate, the
 * "404 = no such user" read and the health probe (`/api/system` + sudo-only `/api/nodes`).
 */
export interface MarzbanLike {
  /** The panel version, read once before the first real call; a refused or failed read is not kept. */
  checked: () => Promise<string>;
  /** Reads the version again (connect()). */
  recheck(): Promise<string>;
  /** GET of a user by name: null on 404, a PanelError on any other refusal. */
  fetch<T>(key: string): Promise<T | null>;
  requireUser<T>(key: string): Promise<T>;
  /** Switches access with `apply` unless the user already is in that state (idempotent). */
  setEnabled(key: string, enabled: boolean, apply: (enabled: boolean) => Promise<unknown>): Promise<void>;
  /** The user in our terms, or null. */
  getUser<T>(key: string, view: (user: T) => PanelUser): Promise<PanelUser | null>;
  /** `revoke_sub`: new credentials and subscription URL (once: it rotates on every call). */
  revoke<T>(key: string): Promise<T>;
  /** DELETE of a user by name; one that does not exist is not an error. */
  deleteUser(key: string): Promise<void>;
  health(): Promise<PanelHealth>;
}

export function createMarzbanLike(session: MarzbanSession, panel: PanelKind, assertVersion: (version: string) => void): MarzbanLike {
  let verified: Promise<string> | null = null;
  const checked = (): Promise<string> => {
    verified ??= session
      .call<MarzbanSystem>({ method: 'GET', path: 'api/system' })
      .then((system) => {
        assertVersion(system.version);
        return system.version;
      })
      .catch((error: unknown) => {
        verified = null;
        throw error;
      });
    return verified;
  };
  async function fetch<T>(key: string): Promise<T | null> {
    await checked();
    const req = { method: 'GET', path: `api/user/${encodeURIComponent(key)}` } as const;
    const res = await session.send(req);
    if (res.status === 404) return null;
    if (res.status !== 200) throw session.toError(req, res);
    return res.json<T>();
  }
  return {
    checked,
    recheck() {
      verified = null;
      return checked();
    },
    fetch,
    async requireUser<T>(key: string): Promise<T> {
      const user = await fetch<T>(key);
      if (!user) throw new PanelError('not_found', `${panel}: user ${key} not found`, { status: 404, panel });
      return user;
    },
    async setEnabled(key, enabled, apply) {
      const user = await fetch<{ status: string }>(key);
      if (!user) throw new PanelError('not_found', `${panel}: user ${key} not found`, { status: 404, panel });
      if ((user.status === 'disabled') !== enabled) return;
      await apply(enabled);
    },
    async getUser<T>(key: string, view: (user: T) => PanelUser) {
      const user = await fetch<T>(key);
      return user ? view(user) : null;
    },
    async revoke<T>(key: string): Promise<T> {
      await checked();
      return session.call<T>({ method: 'POST', path: `api/user/${encodeURIComponent(key)}/revoke_sub` });
    },
    async deleteUser(key) {
      await checked();
      const req = { method: 'DELETE', path: `api/user/${encodeURIComponent(key)}` } as const;
      const res = await session.send(req);
      if (res.status !== 404 && (res.status < 200 || res.status >= 300)) throw session.toError(req, res);
    },
    async health(): Promise<PanelHealth> {
      const started = Date.now();
      try {
        const system = await session.call<MarzbanSystem>({ method: 'GET', path: 'api/system' });
        // A panel we cannot speak to is not healthy, however well it answers.
        assertVersion(system.version);
        const nodesRes = await session.send({ method: 'GET', path: 'api/nodes' });
        // Nodes are sudo-only (403 otherwise): a non-sudo admin simply sees none.
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

/** The panel-specific halves of {@link ensureMarzbanLike}. */
export interface EnsureOps<T> {
  /** POST /api/user; null on 409 (an earlier attempt whose answer was lost created it). */
  create(spec: PanelUserSpec): Promise<T | null>;
  /** The fields a modify must change, or null when the user already matches. */
  diff(current: T, spec: PanelUserSpec): Record<string, unknown> | null;
  modify(key: string, body: Record<string, unknown>): Promise<T>;
}

/**
 * Ensure on Marzban and its fork: read; create when missing (a create can only say `active`, so
 * a disabled account is created, then switched off); then modify only what differs. Never a
 * second account: a lost create answers 409 on the retry and is modified instead.
 */
export async function ensureMarzbanLike<T>(like: MarzbanLike, spec: PanelUserSpec, ops: EnsureOps<T>): Promise<T> {
  assertMarzbanKey(spec.key);
  let current = await like.fetch<T>(spec.key);
  if (current === null) {
    const created = await ops.create(spec);
    if (created && spec.enabled) return created;
    current = created ?? (await like.requireUser<T>(spec.key));
  }
  const body = ops.diff(current, spec);
  return body ? ops.modify(spec.key, body) : current;
}
