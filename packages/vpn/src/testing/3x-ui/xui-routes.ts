import type { XuiClient } from '../../adapters/3x-ui/xui.types.js';
import { parseBody, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-server.js';
import { XuiFailure, type StoredInbound, type XuiFeatures, type XuiStore } from './xui-store.js';

/** Classic inbound/client routes and server status (3x-ui.md §4, §5), with the `{success,msg,obj}` envelope. */

export interface XuiRouteContext {
  store: XuiStore;
  features: () => XuiFeatures;
  now: () => number;
  xray: { state: 'running' | 'stop' | 'error'; version: string; errorMsg: string };
  online: Set<string>;
}

export const ok = (obj: unknown = null, msg = ''): EmulatorResponse => ({ status: 200, json: { success: true, msg, obj } });
/** Failures travel on HTTP 200; the Go error text follows a localized prefix (§2). */
export const fail = (error: string): EmulatorResponse => ({
  status: 200,
  json: { success: false, msg: `Something went wrong (${error})`, obj: null },
});
export const missingRoute: EmulatorResponse = { status: 404, text: '404 page not found' };
/**
 * A route this version lacks. 2.8.5–3.0.x hide the API: an unknown `/panel/api/` path (such as
 * v3.1's `clients/list`) answers an empty 404 even to a logged-in caller, the same answer as a
 * lost session (§3.1); other versions answer gin's default text.
 */
export const absentRoute = (f: XuiFeatures, path: string): EmulatorResponse =>
  f.hidden && path.startsWith('/panel/api/') ? { status: 404, text: '' } : missingRoute;

/** Runs a handler, turning XuiFailure into the envelope failure. */
export function guarded(handler: (req: EmulatorRequest) => EmulatorResponse): (req: EmulatorRequest) => EmulatorResponse {
  return (req) => {
    try {
      return handler(req);
    } catch (error) {
      if (error instanceof XuiFailure) return fail(error.message);
      throw error;
    }
  };
}

/**
 * `withStats`: the list preloads the client traffic rows; `GetInbound` does not, so `get/:id`
 * answers `clientStats: null` (3x-ui.md "Corrections", `web/service/inbound.go`).
 */
export function serializeInbound(ctx: XuiRouteContext, i: StoredInbound, withStats = true): Record<string, unknown> {
  const lower = new Set(i.clients.map((c) => c.email.toLowerCase()));
  const clientStats = [...ctx.store.stats.values()].filter((s) => s.inboundId === i.id && lower.has(s.email.toLowerCase()));
  const up = clientStats.reduce((sum, s) => sum + s.up, 0);
  const down = clientStats.reduce((sum, s) => sum + s.down, 0);
  return {
    id: i.id,
    up,
    down,
    total: 0,
    allTime: up + down,
    remark: i.remark,
    enable: i.enable,
    expiryTime: 0,
    trafficReset: 'never',
    lastTrafficResetTime: 0,
    clientStats: withStats ? clientStats : null,
    listen: '',
    port: i.port,
    protocol: i.protocol,
    settings: JSON.stringify({ clients: i.clients, decryption: 'none', fallbacks: [] }),
    streamSettings: i.streamSettings,
    tag: `inbound-${i.port}`,
    sniffing: '{"enabled":false}',
  };
}

/** `settings` arrives as a JSON string inside a JSON or form body (§4.4). */
function clientsFromBody(req: EmulatorRequest): { inboundId: number; clients: XuiClient[] } {
  const body = parseBody(req) ?? {};
  try {
    const settings = JSON.parse(typeof body.settings === 'string' ? body.settings : '{}') as { clients?: XuiClient[] };
    return { inboundId: Number(body.id), clients: settings.clients ?? [] };
  } catch {
    throw new XuiFailure('invalid character in settings');
  }
}

export function classicRoutes(ctx: XuiRouteContext): Route[] {
  const { store } = ctx;
  const B = '/panel/api/inbounds';
  const classicOnly = (handler: (req: EmulatorRequest) => EmulatorResponse) => (req: EmulatorRequest) =>
    // v3.1 removed the legacy client routes (§8).
    ctx.features().clientsApi ? absentRoute(ctx.features(), req.path) : guarded(handler)(req);
  const route = (method: string, path: string, handler: (req: EmulatorRequest) => EmulatorResponse): Route => ({
    method,
    path,
    handler: guarded(handler),
  });

  return [
    route('GET', `${B}/list`, () => ok([...store.byId.values()].map((i) => serializeInbound(ctx, i)))),
    route('GET', `${B}/get/:id`, (req) => ok(serializeInbound(ctx, store.inbound(Number(req.params.id)), false))),
    route('GET', `${B}/getClientTraffics/:email`, (req) => {
      const email = req.params.email ?? '';
      const row = store.stats.get(email.toLowerCase());
      const f = ctx.features();
      if (!row) return f.unknownEmailIsNull ? ok(null) : fail(`Inbound Not Found For Email: ${email}`);
      if (f.unknownEmailIsNull) return ok(row);
      const at = store.locate(email);
      const client = at?.inbound.clients[at.index];
      return ok({ ...row, enable: client?.enable ?? row.enable, uuid: client?.id ?? '', subId: client?.subId ?? '' });
    }),
    {
      method: 'POST',
      path: `${B}/addClient`,
      handler: classicOnly((req) => {
        const { inboundId, clients } = clientsFromBody(req);
        store.addClients(inboundId, clients, ctx.now());
        return ok(null, 'Inbound client(s) have been added.');
      }),
    },
    {
      method: 'POST',
      path: `${B}/updateClient/:clientId`,
      handler: classicOnly((req) => {
        const { inboundId, clients } = clientsFromBody(req);
        const next = clients[0];
        if (!next) throw new XuiFailure('empty client ID');
        store.updateClient(inboundId, req.params.clientId ?? '', next, ctx.now());
        return ok(null, 'Inbound client has been updated.');
      }),
    },
    {
      method: 'POST',
      path: `${B}/:id/delClient/:clientId`,
      handler: classicOnly((req) => {
        const inbound = store.inbound(Number(req.params.id));
        store.deleteClient(inbound.id, (c) => store.credentialOf(inbound, c) === req.params.clientId);
        return ok(null, 'Inbound client has been deleted.');
      }),
    },
    {
      method: 'POST',
      path: `${B}/:id/delClientByEmail/:email`,
      handler: classicOnly((req) => {
        if (!ctx.features().delByEmail) return missingRoute;
        const email = (req.params.email ?? '').toLowerCase();
        store.deleteClient(Number(req.params.id), (c) => c.email.toLowerCase() === email);
        return ok(null, 'Inbound client has been deleted.');
      }),
    },
    {
      method: 'POST',
      path: `${B}/:id/resetClientTraffic/:email`,
      handler: classicOnly((req) => {
        store.resetTraffic(req.params.email ?? '');
        return ok(null, 'Traffic has been reset.');
      }),
    },
    route('POST', `${B}/onlines`, () => ok([...ctx.online])),
    route('POST', `${B}/lastOnline`, () =>
      ctx.features().lastOnline ? ok(Object.fromEntries([...store.stats.values()].map((s) => [s.email, s.lastOnline ?? 0]))) : missingRoute,
    ),
    route('GET', '/panel/api/server/status', (req) => (ctx.features().statusGet ? ok(status(ctx)) : absentRoute(ctx.features(), req.path))),
    route('POST', '/server/status', () => (ctx.features().statusGet ? missingRoute : ok(status(ctx)))),
  ];
}

function status(ctx: XuiRouteContext): Record<string, unknown> {
  return {
    cpu: 3.1,
    cpuCores: 2,
    logicalPro: 2,
    cpuSpeedMhz: 2400,
    mem: { current: 1_000_000_000, total: 4_000_000_000 },
    swap: { current: 0, total: 0 },
    disk: { current: 1, total: 10 },
    xray: { ...ctx.xray },
    uptime: 1000,
    loads: [0.1, 0.1, 0.1],
    tcpCount: 10,
    udpCount: 2,
    netIO: { up: 0, down: 0 },
    netTraffic: { sent: 0, recv: 0 },
    publicIP: { ipv4: '127.0.0.1', ipv6: '' },
    appStats: { threads: 10, mem: 1, uptime: 1000 },
  };
}
