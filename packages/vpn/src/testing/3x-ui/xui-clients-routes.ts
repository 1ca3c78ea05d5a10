import { randomUUID } from 'node:crypto';
import type { XuiClient, XuiClientRecord } from '../../adapters/3x-ui/xui.types.js';
import { parseBody, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-server.js';
import { absentRoute, guarded, ok, type XuiRouteContext } from './xui-routes.js';
import { XuiFailure } from './xui-store.js';

/** v3.1+ `/panel/api/clients/*` (3x-ui.md §8), a view over the same inbound-held clients. */
export function clientsRoutes(ctx: XuiRouteContext): Route[] {
  const { store } = ctx;
  const B = '/panel/api/clients';
  const v31 = (method: string, path: string, handler: (req: EmulatorRequest) => EmulatorResponse): Route => ({
    method,
    path,
    handler: (req) => (ctx.features().clientsApi ? guarded(handler)(req) : absentRoute(ctx.features(), req.path)),
  });

  const record = (c: XuiClient): XuiClientRecord & { limitHwid: number } => ({
    email: c.email,
    subId: c.subId,
    uuid: c.id,
    flow: c.flow,
    limitIp: c.limitIp,
    limitHwid: 0,
    totalGB: c.totalGB,
    expiryTime: c.expiryTime,
    enable: c.enable,
    tgId: Number(c.tgId) || 0,
    comment: c.comment,
    reset: c.reset,
  });
  const inboundIdsOf = (email: string): number[] =>
    [...store.byId.values()].filter((i) => i.clients.some((c) => c.email.toLowerCase() === email.toLowerCase())).map((i) => i.id);
  const must = (email: string) => {
    const at = store.locate(email);
    const client = at?.inbound.clients[at.index];
    if (!at || !client) throw new XuiFailure('record not found');
    return { at, client };
  };
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const fromBody = (body: Record<string, unknown>, current?: XuiClient): XuiClient => ({
    id: str(body.uuid) || current?.id || randomUUID(),
    flow: str(body.flow),
    email: str(body.email),
    limitIp: Number(body.limitIp ?? 0),
    totalGB: Number(body.totalGB ?? 0),
    expiryTime: Number(body.expiryTime ?? 0),
    enable: Boolean(body.enable),
    tgId: Number(body.tgId ?? 0),
    subId: str(body.subId) || current?.subId || randomUUID(),
    comment: str(body.comment),
    reset: Number(body.reset ?? 0),
  });

  return [
    v31('GET', `${B}/list`, () => ok([...store.byId.values()].flatMap((i) => i.clients.map(record)))),
    v31('GET', `${B}/get/:email`, (req) => {
      const { client } = must(req.params.email ?? '');
      const row = store.stats.get(client.email.toLowerCase());
      return ok({
        client: record(client),
        inboundIds: inboundIdsOf(client.email),
        externalLinks: [],
        usedTraffic: (row?.up ?? 0) + (row?.down ?? 0),
      });
    }),
    v31('GET', `${B}/traffic/:email`, (req) => {
      const row = store.stats.get((req.params.email ?? '').toLowerCase());
      if (!row) throw new XuiFailure('record not found');
      return ok(row);
    }),
    v31('POST', `${B}/add`, (req) => {
      const body = parseBody(req) ?? {};
      const input = (body.client ?? {}) as Record<string, unknown>;
      const inboundIds = (body.inboundIds ?? []) as number[];
      const email = str(input.email);
      if (!email) throw new XuiFailure('email is required');
      if (store.locate(email)) throw new XuiFailure(`email already in use: ${email}`);
      if (inboundIds.length === 0) throw new XuiFailure('at least one inbound is required');
      // Create forces enable=true and generates credentials and subId (§8).
      const client = { ...fromBody(input), enable: true };
      for (const id of inboundIds) store.addClients(id, [client], ctx.now());
      return ok(null);
    }),
    v31('POST', `${B}/update/:email`, (req) => {
      const body = parseBody(req) ?? {};
      if (!body.email) throw new XuiFailure('email is required');
      const { client } = must(req.params.email ?? '');
      const next = fromBody(body, client);
      for (const id of inboundIdsOf(client.email)) store.updateClient(id, client.id, next, ctx.now());
      return ok(null);
    }),
    v31('POST', `${B}/del/:email`, (req) => {
      const { client } = must(req.params.email ?? '');
      for (const id of inboundIdsOf(client.email)) {
        const inbound = store.inbound(id);
        // Records are first-class in 3.1: the last client of an inbound may go.
        inbound.clients = inbound.clients.filter((c) => c.email.toLowerCase() !== client.email.toLowerCase());
      }
      store.stats.delete(client.email.toLowerCase());
      return ok(null);
    }),
    v31('POST', `${B}/resetTraffic/:email`, (req) => {
      store.resetTraffic(must(req.params.email ?? '').client.email);
      return ok(null);
    }),
  ];
}
