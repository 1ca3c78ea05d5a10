import { randomUUID } from 'node:crypto';
import { startEmulatorServer, type EmulatorRequest, type EmulatorResponse } from '../emulator-server.js';
import type { PanelEmulator } from '../panel-emulator.js';
import { createRemnawaveStore, type EmuUser } from './remnawave.store.js';
import { businessError, remnawaveRoutes, type RouteContext } from './remnawave.routes.js';

export interface RemnawaveEmulatorOptions {
  /**
   * Version reported by `/api/system/metadata`; 2.x speaks uuid paths (2.0–2.2 with flat traffic
   * fields), 3.x numeric ids. Default `3.3.2`. Any other version answers like 3.x, so adapters'
   * refusal of unsupported versions can be tested.
   */
  version?: string;
  /** The API token the panel accepts as `Authorization: Bearer`. Default `test-remnawave-token`. */
  apiToken?: string;
  /**
   * The production guard (specs/remnawave.md §1): requests without `X-Forwarded-For` and
   * `X-Forwarded-Proto: https` are refused. Default true; false = a backend in development mode.
   */
  requireForwardedHeaders?: boolean;
  /** `SUB_PUBLIC_DOMAIN`; `subscriptionUrl = https://<domain>/<shortUuid>`. Default `sub.example.com`. */
  subPublicDomain?: string;
  /** Internal squad names; each gets a uuid. Default one squad, `Default-Squad`. */
  squads?: string[];
  /** Nodes reported by `/api/nodes`. Default one connected node. */
  nodes?: Array<{ name: string; connected?: boolean }>;
  /** Whether `/api/system/metadata` exists (absent on early 2.x builds). Default true. */
  serveMetadata?: boolean;
}

/** The Remnawave emulator: {@link PanelEmulator} plus Remnawave-specific hooks. */
export interface RemnawaveEmulator extends PanelEmulator {
  readonly apiToken: string;
  readonly squads: ReadonlyArray<{ uuid: string; name: string }>;
  /** A user as stored, or undefined. */
  user(username: string): EmuUser | undefined;
  /** Moves the panel's clock (the expiry job runs against it). */
  advanceTime(ms: number): void;
  setNodeConnected(name: string, connected: boolean): void;
}

const forwardedOk = (req: EmulatorRequest): boolean =>
  Boolean(req.headers['x-forwarded-for']) && req.headers['x-forwarded-proto'] === 'https';

/** Starts a Remnawave panel emulator on 127.0.0.1 (random port). Close it in afterAll. */
export async function createRemnawaveEmulator(options: RemnawaveEmulatorOptions = {}): Promise<RemnawaveEmulator> {
  const version = options.version ?? '3.3.2';
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  const apiToken = options.apiToken ?? 'test-remnawave-token';
  const requireForwarded = options.requireForwardedHeaders ?? true;
  let offsetMs = 0;
  const now = (): Date => new Date(Date.now() + offsetMs);
  const squads = (options.squads ?? ['Default-Squad']).map((name) => ({ uuid: randomUUID(), name }));
  const nodes = (options.nodes ?? [{ name: 'node-1' }]).map((n) => ({ uuid: randomUUID(), name: n.name, connected: n.connected ?? true }));
  const store = createRemnawaveStore(squads, now);
  let tokenValid = true;

  function guard(req: EmulatorRequest): EmulatorResponse | undefined {
    if (requireForwarded && !forwardedOk(req)) {
      // The real panel destroys the socket here: no HTTP answer at all (remnawave.md).
      return { status: 400, destroy: true };
    }
    store.runJobs();
    if (req.path === '/api/system/metadata') return undefined;
    if (!tokenValid || req.headers.authorization !== `Bearer ${apiToken}`) return businessError(req, 401, 'A003', 'Unauthorized');
    return undefined;
  }

  const ctx: RouteContext = {
    store,
    shape: { generation: major === 2 ? 2 : 3, minor: minor ?? 0, subPublicDomain: options.subPublicDomain ?? 'sub.example.com' },
    version,
    serveMetadata: options.serveMetadata ?? true,
    nodes,
    now,
  };
  const server = await startEmulatorServer({
    routes: remnawaveRoutes(ctx),
    before: guard,
    notFound: (req) => ({ status: 404, json: { message: `Cannot ${req.method} ${req.path}`, error: 'Not Found', statusCode: 404 } }),
    methodNotAllowed: (req) => ({
      status: 404,
      json: { message: `Cannot ${req.method} ${req.path}`, error: 'Not Found', statusCode: 404 },
    }),
  });

  const must = (username: string): EmuUser => {
    const user = store.byUsername(username);
    if (!user) throw new Error(`remnawave emulator: no user ${username}`);
    return user;
  };
  return {
    url: server.url,
    apiToken,
    squads,
    faults: server.faults,
    requests: server.requests,
    countRequests: (match) => server.countRequests(match),
    user: (username) => store.byUsername(username),
    userCount: () => store.users.size,
    userKeys: () => store.all().map((u) => u.username),
    setUsedTraffic(username, bytes) {
      const user = must(username);
      store.addTraffic(user, Math.max(0, bytes - user.usedTrafficBytes));
      user.usedTrafficBytes = bytes;
    },
    setVersion: (v) => void (ctx.version = v),
    // API tokens are not renewable by a client: an expired one is refused until an admin issues another.
    expireSessions: () => void (tokenValid = false),
    // Users and API tokens live in PostgreSQL: a restart loses nothing a Bearer client holds.
    restart: () => undefined,
    // Bots use an API token; they never log in.
    loginCount: () => 0,
    advanceTime(ms) {
      offsetMs += ms;
    },
    setNodeConnected(name, connected) {
      for (const node of nodes) if (node.name === name) node.connected = connected;
    },
    close: () => server.close(),
  };
}
