import { randomUUID } from 'node:crypto';
import { PanelError, type PanelAdapter, type PanelHealth, type PanelUserSpec } from '../../adapter.js';
import { createHttpClient } from '../../http/http-client.js';
import { createClassicApi, type XuiClientApi } from './xui-classic-api.js';
import { createClientsApi } from './xui-clients-api.js';
import { clientFor, differs, newSubId, toPanelUser } from './xui-mapping.js';
import { createXuiSession, type XuiAuth } from './xui-session.js';
import type { XuiClientView, XuiEnvelope, XuiInbound } from './xui.types.js';

export type XuiAdapterOptions = XuiAuth & {
  /** Panel origin plus its web base path, e.g. `https://panel.example.com:2053/Xy12AbCd/`. */
  baseUrl: string;
  /** The inbound new clients are added to (the VLESS TCP REALITY inbound). */
  inboundId: number;
  /** Subscription server prefix the subId is appended to, e.g. `https://sub.example.com:2096/sub/`. */
  subscriptionBaseUrl: string;
  /** Host in share links; default the panel's host name. */
  publicHost?: string;
  flow?: '' | 'xtls-rprx-vision';
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** The clock `expired` is judged by (3x-ui has no status: the adapter compares expiryTime). Tests. */
  now?: () => number;
};

interface Detected {
  api: XuiClientApi;
  version: string;
  statusRoute: { method: 'GET' | 'POST'; path: string };
}

/**
 * 3x-ui adapter (3x-ui.md). The user key is the client `email` (globally unique); units are
 * bytes (`totalGB`) and Unix milliseconds (`expiryTime`). The panel reports no version of its
 * own, so the API generation is detected by probing (§9): the v3.1+ clients API, else the
 * classic inbound API (v2.x–v3.0); a panel with neither is refused.
 */
export function createXuiAdapter(options: XuiAdapterOptions): PanelAdapter {
  const http = createHttpClient({ baseUrl: options.baseUrl, timeoutMs: options.timeoutMs, panel: '3x-ui', fetch: options.fetch });
  const session = createXuiSession(http, options);
  const viewOptions = {
    subscriptionBaseUrl: options.subscriptionBaseUrl,
    publicHost: options.publicHost ?? new URL(options.baseUrl).hostname,
    now: options.now,
  };
  const flow = options.flow ?? 'xtls-rprx-vision';
  let detected: Promise<Detected> | null = null;

  /**
   * Whether a route answers with the envelope. `mayBeAbsent` (v3.1's clients API only): its empty
   * 404 on a v2 panel is "absent", not a lost session. On 2.8.5–3.0, where a lost session looks
   * the same, that route is absent anyway, and the status probe before it (a route those
   * versions have) has already re-logged in if the session was lost.
   */
  async function probe(method: 'GET' | 'POST', path: string, mayBeAbsent = false): Promise<boolean> {
    const res = await session.send({ method, path }, { mayBeAbsent });
    if (res.status !== 200) return false;
    try {
      return res.json<XuiEnvelope<unknown>>().success === true;
    } catch {
      return false;
    }
  }

  async function detect(): Promise<Detected> {
    const modernStatus = await probe('GET', 'panel/api/server/status');
    const statusRoute = modernStatus
      ? ({ method: 'GET', path: 'panel/api/server/status' } as const)
      : ({ method: 'POST', path: 'server/status' } as const);
    if (await probe('GET', 'panel/api/clients/list', true)) return { api: createClientsApi(session), version: '3.1+', statusRoute };
    if (await probe('GET', 'panel/api/inbounds/list'))
      return { api: createClassicApi(session), version: modernStatus ? '2.7-3.0' : '2.5-2.6', statusRoute };
    throw new PanelError(
      'unsupported_version',
      `3x-ui at ${options.baseUrl}: neither the v3.1 clients API nor the classic /panel/api/inbounds API answered — ` +
        'this version is not supported (use 3x-ui 2.5 or newer; check the web base path).',
      { panel: '3x-ui' },
    );
  }

  /** Detected once; a failed detection (panel down) is tried again next time. */
  function ready(): Promise<Detected> {
    detected ??= detect().catch((error: unknown) => {
      detected = null;
      throw error;
    });
    return detected;
  }

  const view = (v: XuiClientView) => toPanelUser(v, viewOptions);

  async function requireClient(key: string): Promise<{ d: Detected; current: XuiClientView }> {
    const d = await ready();
    const current = await d.api.find(key);
    if (!current) throw new PanelError('not_found', `3x-ui: client ${key} not found`, { panel: '3x-ui' });
    return { d, current };
  }

  async function ensure(spec: PanelUserSpec): Promise<XuiClientView> {
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(spec.key))
      throw new PanelError('rejected', `3x-ui: client email "${spec.key}" has characters 3x-ui links cannot carry`, { panel: '3x-ui' });
    const d = await ready();
    let current = await d.api.find(spec.key);
    if (!current) {
      try {
        await d.api.add(options.inboundId, clientFor(spec, flow));
      } catch (error) {
        // "Duplicate email": an earlier attempt whose answer was lost created it.
        if (!(error instanceof PanelError && error.code === 'conflict')) throw error;
      }
      current = await d.api.find(spec.key);
      if (!current) throw new PanelError('bad_response', `3x-ui: client ${spec.key} missing right after addClient`, { panel: '3x-ui' });
    }
    const next = clientFor(spec, flow, current.client);
    // v3.1 forces enable=true on create; a disabled spec is applied by this update.
    if (differs(current.client, next)) {
      await d.api.update(current, next);
      current = { ...current, client: next };
    }
    return current;
  }

  return {
    kind: '3x-ui',
    async connect() {
      const d = await ready();
      const inbound = await session
        .api<XuiInbound>({ method: 'GET', path: `panel/api/inbounds/get/${options.inboundId}` })
        .catch((error: unknown) => {
          if (error instanceof PanelError && error.code === 'not_found')
            throw new PanelError('rejected', `3x-ui: inbound ${options.inboundId} does not exist on this panel`, { panel: '3x-ui' });
          throw error;
        });
      if (inbound.protocol !== 'vless')
        throw new PanelError('rejected', `3x-ui: inbound ${options.inboundId} is ${inbound.protocol}, expected vless`, { panel: '3x-ui' });
      return { version: d.version };
    },
    ensureUser: async (spec) => view(await ensure(spec)),
    async getUser(key) {
      const current = await (await ready()).api.find(key);
      return current ? view(current) : null;
    },
    async setEnabled(key, enabled) {
      const { d, current } = await requireClient(key);
      if (current.client.enable !== enabled) await d.api.update(current, { ...current.client, enable: enabled });
    },
    async resetTraffic(key) {
      const { d, current } = await requireClient(key);
      await d.api.resetTraffic(current);
    },
    async revokeSubscription(key) {
      const { d, current } = await requireClient(key);
      // New credential and new subId: the old link and the old subscription both stop working.
      await d.api.update(current, { ...current.client, id: randomUUID(), subId: newSubId() });
      const after = await d.api.find(key);
      if (!after) throw new PanelError('bad_response', `3x-ui: client ${key} vanished during revoke`, { panel: '3x-ui' });
      return view(after);
    },
    async deleteUser(key) {
      const d = await ready();
      const current = await d.api.find(key);
      if (!current) return;
      try {
        await d.api.remove(current);
      } catch (error) {
        // 3x-ui refuses to delete an inbound's last client ("no client remained in Inbound",
        // 3x-ui.md "Corrections"). Access must still end: disable it now, delete it later.
        if (!(error instanceof PanelError && /no client remained/i.test(error.message))) throw error;
        if (current.client.enable) await d.api.update(current, { ...current.client, enable: false });
        throw new PanelError(
          'kept_disabled',
          `3x-ui: ${key} is the last client of inbound ${current.inboundIds[0] ?? '?'}, which 3x-ui will not delete: disabled until it can be`,
          { panel: '3x-ui', cause: error },
        );
      }
    },
    async listUsers(page) {
      const all = await (await ready()).api.listAll();
      return { users: all.slice(page.offset, page.offset + page.limit).map(view), total: all.length };
    },
    async health(): Promise<PanelHealth> {
      const started = Date.now();
      try {
        const d = await ready();
        const status = await session.api<{ xray?: { state?: string; version?: string; errorMsg?: string } }>(d.statusRoute);
        const online = await session.api<string[] | null>({ method: 'POST', path: 'panel/api/inbounds/onlines' }).catch(() => null);
        const running = status.xray?.state === 'running';
        return {
          ok: running,
          version: d.version,
          latencyMs: Date.now() - started,
          usersOnline: online?.length ?? undefined,
          nodes: [{ name: `xray ${status.xray?.version ?? ''}`.trim(), connected: running }],
          error: running ? undefined : `xray is ${status.xray?.state ?? 'unknown'}: ${status.xray?.errorMsg ?? ''}`.trim(),
        };
      } catch (error) {
        return { ok: false, version: null, latencyMs: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
