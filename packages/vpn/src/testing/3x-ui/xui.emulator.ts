import { vlessLink } from '../../adapters/3x-ui/xui-mapping.js';
import type { XuiClient } from '../../adapters/3x-ui/xui.types.js';
import { startEmulatorServer, type EmulatorResponse } from '../emulator-server.js';
import type { PanelEmulator } from '../panel-emulator.js';
import { authorise, authRoutes, type XuiAuthState } from './xui-auth.js';
import { clientsRoutes } from './xui-clients-routes.js';
import { absentRoute, classicRoutes, missingRoute, type XuiRouteContext } from './xui-routes.js';
import { createXuiStore, xuiFeatures, type StoredInbound } from './xui-store.js';

export interface XuiEmulatorOptions {
  /** Selects the behaviour of §3/§4/§8; default `2.8.5`. */
  version?: string;
  /** Random-looking web base path, as installers set; default `/xui-emu/`. */
  basePath?: string;
  username?: string;
  password?: string;
  /** Admin-scope API token accepted on v3.0+. */
  apiToken?: string;
  sessionMaxAgeMs?: number;
  inbounds?: StoredInbound[];
  now?: () => number;
}

/** The 3x-ui emulator: {@link PanelEmulator} plus 3x-ui hooks. */
export interface XuiEmulator extends PanelEmulator {
  readonly credentials: { username: string; password: string };
  readonly apiToken: string;
  /** Prefix the subId is appended to: `http://127.0.0.1:<subPort>/sub/`. */
  readonly subscriptionBaseUrl: string;
  /** The id of the seeded VLESS TCP REALITY inbound. */
  readonly inboundId: number;
  client(email: string): XuiClient | undefined;
  /** The periodic job (§7): depleted/expired clients marked, `reset` auto-renew applied. */
  tick(): void;
  setOnline(email: string, online: boolean): void;
  setXrayState(state: 'running' | 'stop' | 'error', errorMsg?: string): void;
}

const REALITY_STREAM = JSON.stringify({
  network: 'tcp',
  security: 'reality',
  realitySettings: {
    show: false,
    dest: 'www.example.com:443',
    serverNames: ['www.example.com'],
    shortIds: ['6ba85179e30d4fc2'],
    settings: { publicKey: 'emuPublicKeyBase64', fingerprint: 'chrome', spiderX: '/' },
  },
});

/** An inbound as the UI creates it: the first client is mandatory, so there is one placeholder. */
export const defaultXuiInbounds = (): StoredInbound[] => [
  {
    id: 1,
    remark: 'VLESS TCP REALITY',
    enable: true,
    port: 443,
    protocol: 'vless',
    streamSettings: REALITY_STREAM,
    clients: [
      {
        id: '0b3f6a9e-5d2c-4f7b-9a1e-2c3d4e5f6a7b',
        flow: 'xtls-rprx-vision',
        email: 'first',
        limitIp: 0,
        totalGB: 0,
        expiryTime: 0,
        enable: true,
        tgId: 0,
        subId: 'firstsub00000000',
        comment: '',
        reset: 0,
      },
    ],
  },
];

/** Starts a 3x-ui emulator (panel + subscription server) on 127.0.0.1 random ports. */
export async function create3xuiEmulator(options: XuiEmulatorOptions = {}): Promise<XuiEmulator> {
  let version = options.version ?? '2.8.5';
  const now = options.now ?? Date.now;
  const basePath = options.basePath ?? '/xui-emu/';
  const features = () => xuiFeatures(version);
  const store = createXuiStore(options.inbounds ?? defaultXuiInbounds());
  for (const i of store.byId.values()) {
    const seeded = i.clients.splice(0);
    store.addClients(i.id, seeded, now());
  }
  const auth: XuiAuthState = {
    username: options.username ?? 'admin',
    password: options.password ?? 'admin-password',
    apiToken: options.apiToken ?? 'xui-api-token-admin',
    sessions: new Map(),
    sessionMaxAgeMs: options.sessionMaxAgeMs ?? 360 * 60_000,
    logins: 0,
    basePath,
  };
  const ctx: XuiRouteContext = { store, features, now, xray: { state: 'running', version: '25.3.6', errorMsg: '' }, online: new Set() };
  const panel = await startEmulatorServer({
    basePath,
    routes: [...authRoutes(auth, features, now), ...classicRoutes(ctx), ...clientsRoutes(ctx)],
    before: (req) => {
      const gate = authorise(auth, features(), req, now());
      if (gate) return gate;
      return !features().modern && req.path.startsWith('/panel/api/') ? missingRoute : undefined;
    },
    notFound: (req) => absentRoute(features(), req.path),
    methodNotAllowed: () => missingRoute,
  });
  const sub = await startEmulatorServer({
    routes: [{ method: 'GET', path: '/sub/:subId', handler: (req) => subscription(ctx, req.params.subId ?? '') }],
  });

  return {
    url: panel.url,
    faults: panel.faults,
    requests: panel.requests,
    countRequests: (match) => panel.countRequests(match),
    credentials: { username: auth.username, password: auth.password },
    apiToken: auth.apiToken,
    subscriptionBaseUrl: `http://127.0.0.1:${sub.port}/sub/`,
    inboundId: 1,
    userCount: () => [...store.byId.values()].reduce((n, i) => n + i.clients.length, 0),
    userKeys: () => [...store.byId.values()].flatMap((i) => i.clients.map((c) => c.email)),
    client(email) {
      const at = store.locate(email);
      return at ? at.inbound.clients[at.index] : undefined;
    },
    setUsedTraffic(email, bytes) {
      const row = store.stats.get(email.toLowerCase());
      if (!row) throw new Error(`3x-ui emulator: no client ${email}`);
      row.up = 0;
      row.down = bytes;
    },
    setVersion: (v) => void (version = v),
    expireSessions: () => auth.sessions.clear(),
    // The session store lives in memory of the panel process: a restart logs everyone out.
    restart: () => auth.sessions.clear(),
    loginCount: () => auth.logins,
    tick: () => store.tick(now()),
    setOnline(email, online) {
      if (online) ctx.online.add(email);
      else ctx.online.delete(email);
      const row = store.stats.get(email.toLowerCase());
      if (row && online) row.lastOnline = now();
    },
    setXrayState: (state, errorMsg = '') => void Object.assign(ctx.xray, { state, errorMsg }),
    async close() {
      await Promise.all([panel.close(), sub.close()]);
    },
  };
}

/** §6: enabled clients sharing the subId, links joined by \n, base64; none → 400 `Error!`. */
function subscription(ctx: XuiRouteContext, subId: string): EmulatorResponse {
  const matches = [...ctx.store.byId.values()].flatMap((i) =>
    i.clients.filter((c) => c.enable && c.subId === subId).map((c) => ({ i, c })),
  );
  if (matches.length === 0) return { status: 400, text: 'Error!' };
  const links = matches.flatMap(({ i, c }) => vlessLink({ ...i, settings: '', clientStats: null }, c, '127.0.0.1'));
  const rows = matches.map(({ c }) => ctx.store.stats.get(c.email.toLowerCase()));
  const up = rows.reduce((n, r) => n + (r?.up ?? 0), 0);
  const down = rows.reduce((n, r) => n + (r?.down ?? 0), 0);
  const first = matches[0]?.c;
  return {
    status: 200,
    text: Buffer.from(links.join('\n')).toString('base64'),
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'subscription-userinfo': `upload=${up}; download=${down}; total=${first?.totalGB ?? 0}; expire=${Math.floor((first?.expiryTime ?? 0) / 1000)}`,
      'profile-update-interval': '12',
    },
  };
}
