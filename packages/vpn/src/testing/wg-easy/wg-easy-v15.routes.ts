import QRCode from 'qrcode';
import { randomBytes } from 'node:crypto';
import { parseBody, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-server.js';
import { clientConfiguration, type WgClient, type WgEasyStore } from './wg-easy.store.js';
import { v15Features, validateV15Update } from './wg-easy-v15.validate.js';

export interface V15Context {
  store: WgEasyStore;
  /** Mutable: tests switch it. */
  version: string;
  now: () => Date;
  /**
   * Whether the panel reaches api.github.com. `/api/information` waits on that release check and,
   * when it fails, answers 500 "Failed to fetch latest release" (cached an hour upstream).
   */
  githubReachable: boolean;
}

/**
 * A zod validation failure (§3): `statusMessage` is only "Validation Error"; the human-readable
 * details are in `message`.
 */
export function h3Validation(req: EmulatorRequest, details: string): EmulatorResponse {
  return { status: 400, json: { url: req.path, statusCode: 400, statusMessage: 'Validation Error', message: details } };
}

/** An h3 `createError` as Nitro serialises it (specs/wireguard-wg-easy.md §3). */
export function h3Error(req: EmulatorRequest, statusCode: number, statusMessage: string): EmulatorResponse {
  return { status: statusCode, json: { url: req.path, statusCode, statusMessage, message: statusMessage } };
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A client as `GET /api/client` lists it: no private or preshared key, live counters included. */
function listView(c: WgClient, version: string): Record<string, unknown> {
  const f = v15Features(version);
  return {
    id: c.id,
    userId: 1,
    interfaceId: 'wg0',
    name: c.name,
    ipv4Address: c.ipv4Address,
    ipv6Address: c.ipv6Address,
    publicKey: c.publicKey,
    expiresAt: iso(c.expiresAt),
    allowedIps: c.allowedIps,
    serverAllowedIps: c.serverAllowedIps,
    ...(f.firewall ? { firewallIps: c.firewallIps } : {}),
    persistentKeepalive: c.persistentKeepalive,
    mtu: c.mtu,
    ...(f.awg ? { jC: c.jC, jMin: c.jMin, jMax: c.jMax, i1: c.i1, i2: c.i2, i3: c.i3, i4: c.i4, i5: c.i5 } : {}),
    dns: c.dns,
    serverEndpoint: c.serverEndpoint,
    preUp: c.preUp,
    postUp: c.postUp,
    preDown: c.preDown,
    postDown: c.postDown,
    enabled: c.enabled,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    oneTimeLink: c.oneTimeLink
      ? {
          id: c.id,
          oneTimeLink: c.oneTimeLink.token,
          expiresAt: c.oneTimeLink.expiresAt.toISOString(),
          createdAt: c.oneTimeLink.createdAt.toISOString(),
          updatedAt: c.oneTimeLink.createdAt.toISOString(),
        }
      : null,
    latestHandshakeAt: iso(c.latestHandshakeAt),
    endpoint: c.endpoint,
    transferRx: c.transferRx,
    transferTx: c.transferTx,
  };
}

/** The wg-easy v15 API (§5): `/api/client` CRUD, full-object update, one-time links. */
export function v15Routes(ctx: V15Context): Route[] {
  const { store } = ctx;
  const ok = { status: 200, json: { success: true } };

  /** `{clientId}` is coerced to a number (non-numeric → 400); unknown → 404 `Client not found`. */
  function client(req: EmulatorRequest): WgClient | EmulatorResponse {
    const raw = req.params.clientId ?? '';
    if (!/^\d+$/.test(raw)) return h3Validation(req, 'clientId: Expected number');
    return store.clients.get(Number(raw)) ?? h3Error(req, 404, 'Client not found');
  }
  const withClient =
    (fn: (c: WgClient, req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>) =>
    (req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse> => {
      const c = client(req);
      return 'status' in c ? c : fn(c, req);
    };
  /** Runs `fn` on the client if it exists; a non-numeric id is still a 400. */
  const maybeClient =
    (fn: (c: WgClient | undefined) => unknown) =>
    (req: EmulatorRequest): EmulatorResponse => {
      if (!/^\d+$/.test(req.params.clientId ?? '')) return h3Validation(req, 'clientId: Expected number');
      fn(store.clients.get(Number(req.params.clientId)));
      return ok;
    };
  const conf = (c: WgClient): string => clientConfiguration(store, c, 15);

  return [
    {
      method: 'GET',
      path: '/api/information',
      handler: (req) =>
        !ctx.githubReachable
          ? h3Error(req, 500, 'Failed to fetch latest release')
          : {
              status: 200,
              json: {
                currentRelease: ctx.version,
                latestRelease: { version: ctx.version, changelog: '' },
                updateAvailable: false,
                insecure: false,
                isAwg: false,
                firewallEnabled: false,
              },
            },
    },
    {
      method: 'GET',
      path: '/api/client',
      handler: (req) => {
        const filter = req.query.get('filter');
        let list = store.all();
        if (filter) list = list.filter((c) => [c.name, c.ipv4Address, c.ipv6Address].some((v) => v.includes(filter)));
        const sort = req.query.get('sort');
        if (sort) list.sort((a, b) => (sort === 'desc' ? -1 : 1) * a.name.localeCompare(b.name));
        return { status: 200, json: list.map((c) => listView(c, ctx.version)) };
      },
    },
    {
      method: 'POST',
      path: '/api/client',
      handler: (req) => {
        const body = parseBody(req) ?? {};
        const problems: string[] = [];
        if (typeof body.name !== 'string' || body.name.length < 1) problems.push('name: Name must be at least 1 character');
        if (!('expiresAt' in body)) problems.push('expiresAt: Required');
        else if (body.expiresAt !== null && (typeof body.expiresAt !== 'string' || Number.isNaN(new Date(body.expiresAt).getTime())))
          problems.push('expiresAt: Invalid date');
        if (problems.length > 0) return h3Validation(req, problems.join('; '));
        const created = store.create(body.name as string, body.expiresAt === null ? null : new Date(body.expiresAt as string));
        // v15.0–15.1 answered only {success:true}; the id arrived in v15.2.
        return { status: 200, json: v15Features(ctx.version).awg ? { success: true, clientId: created.id } : { success: true } };
      },
    },
    {
      method: 'GET',
      path: '/api/client/:clientId',
      handler: withClient((c) => {
        const { transferRx: _rx, transferTx: _tx, latestHandshakeAt: _h, ...rest } = listView(c, ctx.version);
        return { status: 200, json: { ...rest, privateKey: c.privateKey, preSharedKey: c.preSharedKey } };
      }),
    },
    {
      method: 'POST',
      path: '/api/client/:clientId',
      handler: withClient((c, req) => {
        const update = validateV15Update(parseBody(req), v15Features(ctx.version), {
          v4: store.iface.ipv4Prefix,
          v6: store.iface.ipv6Prefix,
        });
        if (typeof update === 'string') return h3Validation(req, update);
        if (store.all().some((o) => o.id !== c.id && o.ipv4Address === update.ipv4Address))
          return h3Error(req, 400, 'IPv4 address is already in use');
        Object.assign(c, update, { updatedAt: ctx.now() });
        return ok;
      }),
    },
    // Delete/enable/disable do not check that the client exists (an admin passes the permission
    // check with no client): a missing id answers success.
    { method: 'DELETE', path: '/api/client/:clientId', handler: maybeClient((c) => c && store.clients.delete(c.id)) },
    {
      method: 'POST',
      path: '/api/client/:clientId/enable',
      handler: (req) => {
        const c = client(req);
        if (!('status' in c) && c.expiresAt && c.expiresAt.getTime() < ctx.now().getTime()) {
          return h3Error(req, 422, 'Client is expired. Please update the expiration date first.');
        }
        return maybeClient((x) => x && (x.enabled = true))(req);
      },
    },
    { method: 'POST', path: '/api/client/:clientId/disable', handler: maybeClient((c) => c && (c.enabled = false)) },
    {
      method: 'GET',
      path: '/api/client/:clientId/configuration',
      handler: withClient((c) => ({
        status: 200,
        text: conf(c),
        headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${c.name}.conf"` },
      })),
    },
    {
      method: 'GET',
      path: '/api/client/:clientId/qrcode.svg',
      handler: withClient(async (c) => ({
        status: 200,
        text: await QRCode.toString(conf(c), { type: 'svg' }),
        headers: { 'content-type': 'image/svg+xml' },
      })),
    },
    {
      method: 'POST',
      path: '/api/client/:clientId/generateOneTimeLink',
      handler: withClient((c) => {
        const at = ctx.now();
        c.oneTimeLink = { token: randomBytes(8).toString('hex'), createdAt: at, expiresAt: new Date(at.getTime() + 5 * 60_000) };
        return ok;
      }),
    },
    {
      method: 'GET',
      path: '/cnf/:oneTimeLink',
      handler: (req) => {
        const c = store.all().find((x) => x.oneTimeLink?.token === req.params.oneTimeLink);
        if (!c?.oneTimeLink) return h3Error(req, 404, 'Invalid One Time Link');
        if (c.oneTimeLink.expiresAt.getTime() < ctx.now().getTime()) return h3Error(req, 410, 'One Time Link has expired');
        // After a download the link lives 10 more seconds (§5.2).
        c.oneTimeLink.expiresAt = new Date(ctx.now().getTime() + 10_000);
        return {
          status: 200,
          text: conf(c),
          headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${c.name}.conf"` },
        };
      },
    },
  ];
}
