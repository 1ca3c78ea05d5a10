import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFaultInjector, matches, type FaultInjector, type RequestMatcher } from './faults.js';

/** What a route handler sees. */
export interface EmulatorRequest {
  method: string;
  /** Path without the query string, after the emulator's base path was stripped. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** What a route handler answers; `json` is serialised, `text` sent as is. */
export interface EmulatorResponse {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string | string[]>;
  /** Answer nothing and destroy the socket, as a panel behind a strict proxy does. */
  destroy?: boolean;
}

export type RouteHandler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface Route {
  method: string;
  /** `/api/user/:username` — `:name` segments become params (URL-decoded). */
  path: string;
  handler: RouteHandler;
}

export interface EmulatorServerOptions {
  routes: Route[];
  /** Path prefix every route lives under (3x-ui's random web base path); default none. */
  basePath?: string;
  /** Answer for an unknown path. */
  notFound?: RouteHandler;
  /** Answer for a known path with the wrong method. */
  methodNotAllowed?: RouteHandler;
  /** Runs before routing (auth, version-specific quirks); returning a response short-circuits. */
  before?: (req: EmulatorRequest) => EmulatorResponse | undefined | Promise<EmulatorResponse | undefined>;
  /** Port on 127.0.0.1; 0 or absent = any free port (tests). The sandbox uses its documented port. */
  port?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number | 'dropped' | 'refused';
}

/** A running emulator HTTP server on 127.0.0.1 (a random port unless one is given). */
export interface EmulatorServer {
  /** `http://127.0.0.1:<port>` plus the base path. */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultInjector;
  /** Every request in arrival order (for "logged in exactly once" assertions). */
  readonly requests: readonly RecordedRequest[];
  countRequests(match?: RequestMatcher): number;
  close(): Promise<void>;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const pattern = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, regex: new RegExp(`^${pattern}$`), names };
}

/** Starts an emulator server. The caller owns it and must `close()` it (tests: in afterAll). */
export async function startEmulatorServer(options: EmulatorServerOptions): Promise<EmulatorServer> {
  const routes = options.routes.map(compile);
  const basePath = (options.basePath ?? '/').replace(/\/?$/, '/');
  const faults = createFaultInjector();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  async function dispatch(req: EmulatorRequest): Promise<EmulatorResponse> {
    const early = await options.before?.(req);
    if (early) return early;
    let pathKnown = false;
    for (const route of routes) {
      const m = route.regex.exec(req.path);
      if (!m) continue;
      pathKnown = true;
      if (route.method !== req.method) continue;
      route.names.forEach((name, i) => (req.params[name] = decodeURIComponent(m[i + 1] ?? '')));
      return route.handler(req);
    }
    const fallback = pathKnown ? options.methodNotAllowed : options.notFound;
    return fallback ? fallback(req) : { status: pathKnown ? 405 : 404, text: '' };
  }

  const server: Server = createServer((incoming, res) => {
    void (async () => {
      const url = new URL(incoming.url ?? '/', 'http://emulator');
      const method = incoming.method ?? 'GET';
      const full = url.pathname;
      const path = full.startsWith(basePath) ? `/${full.slice(basePath.length)}` : full;
      const record: RecordedRequest = { method, path, status: 'refused' };
      requests.push(record);
      if (faults.unavailable) {
        incoming.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const fired = faults.take(method, path);
      if (fired.fail) {
        record.status = fired.fail.status ?? 503;
        send(res, { status: record.status, text: fired.fail.body ?? 'Service Unavailable' });
        return;
      }
      if (fired.delay) await sleep(fired.delay.delayMs ?? 0);
      const response = await dispatch({ method, path, params: {}, query: url.searchParams, headers: incoming.headers, rawBody });
      if (fired.drop) {
        record.status = 'dropped';
        // The state change above is done; the answer never arrives.
        if (fired.drop.mode === 'reset') incoming.socket.destroy();
        return;
      }
      record.status = response.status;
      send(res, response);
    })().catch((error: unknown) => {
      record500(res, error);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A taken port must fail the start (the sandbox then says which port), not hang it.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${basePath === '/' ? '' : basePath.replace(/\/$/, '')}`,
    port,
    faults,
    requests,
    countRequests(match) {
      return requests.filter((r) => matches(match, r.method, r.path)).length;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  if (res.headersSent || res.destroyed) return;
  if (response.destroy) {
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string | string[]> = { ...response.headers };
  let body = response.text ?? '';
  if (response.json !== undefined) {
    body = JSON.stringify(response.json);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(response.status, headers);
  res.end(body);
}

function record500(res: ServerResponse, error: unknown): void {
  send(res, { status: 500, text: `emulator error: ${error instanceof Error ? error.message : String(error)}` });
}

/** Parses a JSON or form body; undefined when it is neither (the caller answers as its panel would). */
export function parseBody(req: EmulatorRequest): Record<string, unknown> | undefined {
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.rawBody));
  if (req.rawBody === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(req.rawBody);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
