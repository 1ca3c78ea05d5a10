import { startEmulatorServer, type EmulatorRequest, type EmulatorResponse } from '../emulator-server.js';
import type { PanelEmulator } from '../panel-emulator.js';
import { v14Error, v14Routes } from './wg-easy-v14.routes.js';
import { h3Error, v15Routes, type V15Context } from './wg-easy-v15.routes.js';
import { createWgEasyStore, type WgClient, type WgInterface } from './wg-easy.store.js';

export interface WgEasyEmulatorOptions {
  /** `15.x` (default `15.4.0`; 15.0–15.1 answer create without `clientId`) or the legacy `14.0.0`. */
  version?: string;
  /** v15 admin user; v14 only checks the password. */
  username?: string;
  password?: string;
  /** v15: the admin has 2FA on, so Basic auth is refused with 401 (§2). */
  totpEnabled?: boolean;
  /** v15: `DISABLE_PASSWORD_AUTH=true` → 403 on Basic auth. */
  disablePasswordAuth?: boolean;
  /** v15: false = no access to api.github.com, so `/api/information` answers 500 (corrections). Default true. */
  githubReachable?: boolean;
}

/** The wg-easy emulator: {@link PanelEmulator} (keys = client names) plus WireGuard hooks. */
export interface WgEasyEmulator extends PanelEmulator {
  readonly credentials: { username: string; password: string };
  /** The server side of the tunnel (its public key appears in every client config). */
  readonly iface: WgInterface;
  /** The first client with this name, as stored. */
  client(name: string): WgClient | undefined;
  /** Live state as the kernel would report it. */
  setHandshake(name: string, at: Date | null): void;
  /** Moves the panel's clock (the expiry cron runs against it). */
  advanceTime(ms: number): void;
}

const major = (version: string): number => Number.parseInt(version.replace(/^v/, ''), 10);

/** Starts a wg-easy v15 or v14 emulator on 127.0.0.1 (random port). Close it in afterAll. */
export async function createWgEasyEmulator(options: WgEasyEmulatorOptions = {}): Promise<WgEasyEmulator> {
  const credentials = { username: options.username ?? 'admin', password: options.password ?? 'admin-password' };
  let offsetMs = 0;
  const now = (): Date => new Date(Date.now() + offsetMs);
  const store = createWgEasyStore(now);
  const ctx: V15Context = { store, version: options.version ?? '15.4.0', now, githubReachable: options.githubReachable ?? true };
  const legacy = major(ctx.version) === 14;

  /** v15 Basic auth with the exact statuses of §2. */
  function v15Auth(req: EmulatorRequest): EmulatorResponse | undefined {
    const header = req.headers.authorization;
    if (!header) return h3Error(req, 401, 'Session failed. No Authorization');
    const [scheme, encoded] = header.split(' ');
    const decoded = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 0) return h3Error(req, 400, 'Invalid Basic Authorization');
    if (options.disablePasswordAuth) return h3Error(req, 403, 'Password authentication is disabled');
    const good = decoded.slice(0, colon) === credentials.username && decoded.slice(colon + 1) === credentials.password;
    if (!good || options.totpEnabled) return h3Error(req, 401, 'Session failed');
    return undefined;
  }

  /**
   * v14: the raw password in `Authorization` (no scheme). A Basic header crashes its auth
   * middleware: 500 `{"statusCode":500,"stack":[]}` (corrections; upstream #1260, #1564).
   */
  function v14Auth(req: EmulatorRequest): EmulatorResponse | undefined {
    const header = req.headers.authorization;
    if (!header) return v14Error(401, 'Not Logged In');
    if (header.startsWith('Basic ')) return { status: 500, json: { statusCode: 500, stack: [] } };
    return header === credentials.password ? undefined : v14Error(401, 'Incorrect Password');
  }

  const server = await startEmulatorServer({
    routes: [
      // Public in both generations: the release number (parseInt of the version).
      {
        method: 'GET',
        path: '/api/release',
        handler: () => ({ status: 200, json: Number.parseInt(ctx.version.replace(/^v/, ''), 10) || 0 }),
      },
      ...(legacy ? v14Routes(store, now) : v15Routes(ctx)),
    ],
    before(req) {
      store.cron();
      if (!req.path.startsWith('/api/') || req.path === '/api/release') return undefined;
      // v15's information route needs no login (corrections).
      if (!legacy && req.path === '/api/information') return undefined;
      return legacy ? v14Auth(req) : v15Auth(req);
    },
    notFound: (req) => (legacy ? v14Error(404, 'Not Found') : h3Error(req, 404, `Page Not Found: ${req.path}`)),
    methodNotAllowed: (req) => (legacy ? v14Error(405, 'Method Not Allowed') : h3Error(req, 405, 'Method Not Allowed')),
  });

  const must = (name: string): WgClient => {
    const c = store.byName(name);
    if (!c) throw new Error(`wg-easy emulator: no client ${name}`);
    return c;
  };

  return {
    url: server.url,
    credentials,
    iface: store.iface,
    faults: server.faults,
    requests: server.requests,
    countRequests: (match) => server.countRequests(match),
    userCount: () => store.clients.size,
    userKeys: () => store.all().map((c) => c.name),
    client: (name) => store.byName(name),
    setUsedTraffic(name, bytes) {
      Object.assign(must(name), { transferRx: bytes, transferTx: 0, latestHandshakeAt: now() });
    },
    setHandshake(name, at) {
      must(name).latestHandshakeAt = at;
    },
    setVersion: (version) => void (ctx.version = version),
    // Basic auth (v15) and the raw password (v14) are sent on every call: no session to expire.
    expireSessions: () => undefined,
    // The interface comes back up with zeroed kernel counters; clients live in SQLite / JSON.
    restart: () => store.restartInterface(),
    loginCount: () => 0,
    advanceTime(ms) {
      offsetMs += ms;
    },
    close: () => server.close(),
  };
}
