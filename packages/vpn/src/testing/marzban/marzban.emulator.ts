import { startEmulatorServer } from '../emulator-server.js';
import type { PanelEmulator } from '../panel-emulator.js';
import { marzbanRoutes, type MarzbanAuthState } from './marzban-routes.js';
import { createMarzbanStore, naiveUtc, type InboundInfo, type StoredUser } from './marzban-store.js';
import { marzbanLikeUsers } from './marzban-like-users.js';
import { detail } from './marzban-users.js';

export interface MarzbanEmulatorOptions {
  /** Reported by `GET /api/system`; default `0.8.4`. */
  version?: string;
  admin?: { username: string; password: string; sudo?: boolean };
  /** JWT lifetime; default 24 h (JWT_ACCESS_TOKEN_EXPIRE_MINUTES=1440). */
  tokenTtlMs?: number;
  /** `XRAY_SUBSCRIPTION_URL_PREFIX`; default '' (relative `/sub/<token>` URLs, as on a fresh install). */
  subscriptionUrlPrefix?: string;
  inbounds?: InboundInfo[];
  now?: () => number;
  /** Port on 127.0.0.1; default any free port. */
  port?: number;
  /** What `saveState()` returned before: the accounts and the subscription key come back. */
  state?: unknown;
}

/** The Marzban emulator: {@link PanelEmulator} plus Marzban-specific hooks. */
export interface MarzbanEmulator extends PanelEmulator {
  readonly credentials: { username: string; password: string };
  /** The raw stored user (case-insensitive), for assertions. */
  user(key: string): StoredUser | undefined;
  /** Runs the review job once (§5.4: active → limited/expired). */
  runReview(): void;
  setOnline(key: string, at?: Date): void;
  setNodes(
    nodes: Array<{ id: number; name: string; status: 'connected' | 'connecting' | 'error' | 'disabled'; message?: string | null }>,
  ): void;
}

export const DEFAULT_MARZBAN_INBOUNDS: InboundInfo[] = [
  { tag: 'VLESS TCP REALITY', protocol: 'vless', network: 'tcp', tls: 'reality', port: 443 },
];

/** Starts a Marzban 0.7/0.8 emulator on 127.0.0.1:<random> (marzban.md §9). Close it in afterAll. */
export async function createMarzbanEmulator(options: MarzbanEmulatorOptions = {}): Promise<MarzbanEmulator> {
  const admin = { username: 'admin', password: 'admin-password', sudo: true, ...options.admin };
  const now = options.now ?? Date.now;
  const saved = options.state as { secret: string; users: StoredUser[] } | undefined;
  const store = createMarzbanStore({
    ...(saved ? { secret: saved.secret } : {}),
    version: options.version ?? '0.8.4',
    inbounds: options.inbounds ?? DEFAULT_MARZBAN_INBOUNDS,
    subscriptionUrlPrefix: options.subscriptionUrlPrefix ?? '',
    linkHost: 'vpn.example.com',
    now,
  });
  for (const user of saved?.users ?? []) store.users.set(user.username.toLowerCase(), user);
  const auth: MarzbanAuthState = { admins: [admin], tokens: new Map(), tokenTtlMs: options.tokenTtlMs ?? 86_400_000, logins: 0, nodes: [] };
  const server = await startEmulatorServer({
    ...(options.port ? { port: options.port } : {}),
    routes: marzbanRoutes(store, auth),
    notFound: (req) =>
      req.path.length > 1 && req.path.endsWith('/')
        ? { status: 307, headers: { location: req.path.slice(0, -1) } }
        : detail(404, 'Not Found'),
    methodNotAllowed: () => detail(405, 'Method Not Allowed'),
  });
  const { must, ...users } = marzbanLikeUsers<StoredUser>(store.users, 'marzban');
  return {
    ...users,
    url: server.url,
    faults: server.faults,
    requests: server.requests,
    countRequests: (match) => server.countRequests(match),
    credentials: { username: admin.username, password: admin.password },
    setVersion: (version) => void (store.options.version = version),
    expireSessions: () => auth.tokens.clear(),
    // Marzban tokens are JWTs signed with a secret kept in its database: they survive a restart.
    restart: () => undefined,
    loginCount: () => auth.logins,
    saveState: () => structuredClone({ secret: store.secret, users: [...store.users.values()] }),
    runReview: () => store.review(),
    setOnline: (key, at = new Date(now())) => void (must(key).online_at = naiveUtc(at.getTime())),
    setNodes: (nodes) => void (auth.nodes = nodes.map((n) => ({ ...n, message: n.message ?? null }))),
    close: () => server.close(),
  };
}
