import { PanelError, type PanelAdapter, type PanelHealth, type PanelUser, type PanelUserSpec } from '../../adapter.js';
import { createHttpClient } from '../../http/http-client.js';
import { send, type WgBackend } from './wg-easy.backend.js';
import { createV14Backend } from './wg-easy-v14.backend.js';
import { createV15Backend, type V15Backend } from './wg-easy-v15.backend.js';
import { isValidClientName, toPanelUser, wantedState } from './wg-easy.mapping.js';
import { SUPPORTED_WG_EASY, wgEasyGeneration, type WgClientView } from './wg-easy.types.js';
import { createKeyLock } from './key-lock.js';

export interface WgEasyAdapterOptions {
  /** Web UI origin, e.g. `https://wg.example.com` or `http://10.0.0.5:51821`. */
  baseUrl: string;
  /** v15 admin user (Basic auth; must not have 2FA). Ignored by v14. */
  username: string;
  /** v15 admin password, or v14's `PASSWORD`. */
  password: string;
  /** Public origin for one-time links (`/cnf/<token>`); default `baseUrl`. */
  publicUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** {@link PanelAdapter} plus what only WireGuard has. */
export interface WgEasyAdapter extends PanelAdapter {
  /** v15: a one-time download link for the `.conf` (valid 5 minutes, 10 s after first use). */
  oneTimeLink(key: string): Promise<string>;
}

interface Connection {
  version: string;
  backend: WgBackend;
  v15: V15Backend | null;
}

/** How long the version read may wait on `/api/information` (which waits on GitHub). */
const INFORMATION_TIMEOUT_MS = 3_000;

/** Online = a handshake in the last 3 minutes (WireGuard re-handshakes every 2 minutes while in use). */
const ONLINE_MS = 180_000;

/**
 * wg-easy adapter (specs/wireguard-wg-easy.md): v15 (Basic auth, `/api/client`) and the legacy
 * v14 API (raw password, `/api/wireguard/client`, no expiry), detected at connect. Field mapping:
 * see wg-easy.mapping.ts. One key = one client = one `.conf`.
 */
export function createWgEasyAdapter(options: WgEasyAdapterOptions): WgEasyAdapter {
  const common = { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, panel: 'wg-easy' as const, fetch: options.fetch };
  const basic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const v15Http = createHttpClient({ ...common, headers: { authorization: basic } });
  // v14 takes the raw password in Authorization, without a scheme (§7).
  const v14Http = createHttpClient({ ...common, headers: { authorization: options.password } });
  const withKey = createKeyLock();
  let connection: Promise<Connection> | null = null;

  function unsupported(version: string): PanelError {
    return new PanelError('unsupported_version', `wg-easy: panel version ${version} is not supported (supported: ${SUPPORTED_WG_EASY})`, {
      panel: 'wg-easy',
    });
  }

  /**
   * The exact release from `/api/information`, best effort: it waits on GitHub and answers 500
   * for an hour when GitHub is out of reach, so a failure or a slow answer is "unknown", never an
   * error. A panel that names a release other than 15 is refused.
   */
  async function releaseOf15(): Promise<string | null> {
    try {
      const info = await v15Http.request({ method: 'GET', path: '/api/information', throwOn5xx: false, timeoutMs: INFORMATION_TIMEOUT_MS });
      if (info.status !== 200) return null;
      const release = info.json<{ currentRelease?: unknown }>().currentRelease;
      return typeof release === 'string' ? release : null;
    } catch {
      return null;
    }
  }

  /**
   * Detects the generation without `/api/information`: on v15 it waits on a GitHub release check
   * and answers 500 for an hour when that fails, and a protected v14 crashes (500) on the Basic
   * header it is sent (wireguard-wg-easy.md "Corrections"). `GET /api/client` with Basic auth is
   * v15's authenticated probe: 200 = v15 and the password works; 401/403 = a v15 refusing us.
   * Anything else (a v14 crash or 404) falls back to v14's public `/api/release`.
   */
  async function open(): Promise<Connection> {
    const probe = await v15Http.request({ method: 'GET', path: '/api/client', throwOn5xx: false });
    if (probe.status === 200) {
      const version = await releaseOf15();
      if (version !== null && wgEasyGeneration(version) !== 15) throw unsupported(version);
      const v15 = createV15Backend(v15Http);
      // Without the exact release the major is enough: what differs between 15.x minors is read
      // from the answers themselves.
      return { version: version ?? '15', backend: v15, v15 };
    }
    // A v15 that refuses us (wrong password, 2FA, password auth off): connect() fails with it.
    if (probe.status === 401 || probe.status === 403) await send(v15Http, { method: 'GET', path: '/api/client' });
    const release = await v15Http.request({ method: 'GET', path: '/api/release', throwOn5xx: false });
    const number = release.status === 200 ? Number(release.text) : NaN;
    if (number === 14) {
      const backend = createV14Backend(v14Http);
      await backend.all(); // proves the password now, not on the first real call
      // v14 reports only its major release number.
      return { version: '14.0', backend, v15: null };
    }
    if (Number.isInteger(number) && number !== 15) throw unsupported(String(number));
    throw new PanelError('bad_response', `wg-easy: GET /api/client answered ${probe.status}; this is not a wg-easy v14 or v15 panel`, {
      status: probe.status,
      panel: 'wg-easy',
    });
  }

  function connected(): Promise<Connection> {
    connection ??= open().catch((error: unknown) => {
      connection = null;
      throw error;
    });
    return connection;
  }

  /** The oldest client with this name; younger duplicates (from a race in another process) are deleted. */
  async function single(backend: WgBackend, key: string): Promise<WgClientView | null> {
    const [keep, ...extra] = await backend.find(key);
    for (const duplicate of extra) await backend.remove(duplicate.id);
    return keep ?? null;
  }

  async function read(backend: WgBackend, client: WgClientView): Promise<PanelUser> {
    return toPanelUser(client, await backend.configuration(client.id));
  }

  async function requireClient(backend: WgBackend, key: string): Promise<WgClientView> {
    const [client] = await backend.find(key);
    if (!client) throw new PanelError('not_found', `wg-easy: client ${key} not found`, { status: 404, panel: 'wg-easy' });
    return client;
  }

  async function ensure(spec: PanelUserSpec): Promise<PanelUser> {
    if (!isValidClientName(spec.key))
      throw new PanelError('rejected', `wg-easy: key "${spec.key}" is not a valid client name`, { panel: 'wg-easy' });
    const { backend } = await connected();
    return withKey(spec.key, async () => {
      let client = await single(backend, spec.key);
      if (!client) {
        await backend.create(spec.key, spec.expiresAt);
        client = await single(backend, spec.key);
        if (!client) throw new PanelError('bad_response', `wg-easy: client ${spec.key} missing right after create`, { panel: 'wg-easy' });
      }
      await backend.apply(client, wantedState(spec));
      return read(backend, await requireClient(backend, spec.key));
    });
  }

  return {
    kind: 'wg-easy',
    async connect() {
      connection = null;
      return { version: (await connected()).version };
    },
    ensureUser: ensure,
    async getUser(key) {
      const { backend } = await connected();
      const [client] = await backend.find(key);
      return client ? read(backend, client) : null;
    },
    async setEnabled(key, enabled) {
      const { backend } = await connected();
      const client = await requireClient(backend, key);
      if (client.enabled !== enabled) await backend.setEnabled(client.id, enabled);
    },
    async resetTraffic(key) {
      // wg-easy keeps no usage quota to reset: its counters are the kernel's and only restart
      // with the interface. Nothing to do beyond confirming the client exists.
      await requireClient((await connected()).backend, key);
    },
    async revokeSubscription(key) {
      const { backend } = await connected();
      return withKey(key, async () => {
        // No key-rotation endpoint: delete and create again (new keys, maybe a new IP). Delete
        // first, so a crash in between leaves no client (the next ensure creates one) rather
        // than the old one winning the duplicate clean-up.
        const old = await requireClient(backend, key);
        for (const c of await backend.find(key)) await backend.remove(c.id);
        await backend.create(key, old.expiresAt === null ? null : new Date(old.expiresAt));
        const fresh = await requireClient(backend, key);
        await backend.apply(fresh, { enabled: old.enabled, expiresAt: old.expiresAt === null ? null : new Date(old.expiresAt) });
        return read(backend, await requireClient(backend, key));
      });
    },
    async deleteUser(key) {
      const { backend } = await connected();
      await withKey(key, async () => {
        for (const c of await backend.find(key)) await backend.remove(c.id);
      });
    },
    async listUsers(page) {
      const all = await (await connected()).backend.all();
      // The .conf is fetched per client only on get/ensure: a listing stays one request.
      return { users: all.slice(page.offset, page.offset + Math.max(0, page.limit)).map((c) => toPanelUser(c)), total: all.length };
    },
    async oneTimeLink(key) {
      const { backend, v15 } = await connected();
      if (!v15) throw new PanelError('rejected', 'wg-easy: one-time links need v15', { panel: 'wg-easy' });
      const token = await v15.oneTimeLink((await requireClient(backend, key)).id);
      if (!token) throw new PanelError('bad_response', `wg-easy: no one-time link appeared for ${key}`, { panel: 'wg-easy' });
      return new URL(`cnf/${token}`, (options.publicUrl ?? options.baseUrl).replace(/\/?$/, '/')).toString();
    },
    async health(): Promise<PanelHealth> {
      const started = Date.now();
      try {
        const { version, backend } = await connected();
        const clients = await backend.all();
        const recent = Date.now() - ONLINE_MS;
        return {
          ok: true,
          version,
          latencyMs: Date.now() - started,
          usersTotal: clients.length,
          usersOnline: clients.filter((c) => c.latestHandshakeAt !== null && new Date(c.latestHandshakeAt).getTime() > recent).length,
        };
      } catch (error) {
        return { ok: false, version: null, latencyMs: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
